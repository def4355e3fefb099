// Checks of enumerated flag values: a mistake is a usage error that lists what is accepted
// and suggests the nearest name, instead of a silently different run.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ciri {

/// The name in `accepted` nearest to `given` (edit distance, ignoring case) when it is close
/// enough to be a slip (at most a third of its length, and at least 1); "" otherwise.
std::string closest_name(std::string_view given, const std::vector<std::string>& accepted);

/// "'x' is not one of a, b, c" plus "; did you mean 'b'?" when one is close.
std::string not_one_of(std::string_view what, std::string_view given, const std::vector<std::string>& accepted);

/// A CLI11 check (for `->check(...)`) accepting exactly the names in `accepted`, case-sensitively;
/// `what` names the value in the message, e.g. "verdict". With `before_eq`, only the part of the
/// value before a '=' is checked (`-f sarif=out.sarif`).
CLI::Validator one_of(std::string what, std::vector<std::string> accepted, bool before_eq = false);

/// The names of the known systems, as `ciri systems` lists them.
std::vector<std::string> system_names();

/// The names of the input formats (the parsers' table).
std::vector<std::string> input_format_names();

/// The names of the output formats (reporters).
std::vector<std::string> output_format_names();

}  // namespace ciri
