// `ciri spec learn --from-flag-help`: a spec table learned from a program's `--help` listing
// (etcd: its configuration file's keys are its flag names), with the value types the program
// itself names when it refuses a value (`--flag-types`, probed by bench/learn_from_programs.sh).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "ciri/rules/learn_defaults.hpp"
#include "ciri/rules/spec.hpp"

namespace ciri {

/// One flag of a `--help` listing: `  --name 'default'` (or an unquoted default, or none)
/// followed by indented description lines.
struct HelpFlag {
    std::string name;
    std::string default_value;  ///< unquoted; empty when none is printed
    std::string description;    ///< the indented lines below it, joined by spaces
    int line = 0;
};

/// The flags of a `--help` listing, in order, each once (the first listing wins). Lines that
/// are not `--name ...` at the start of an indented line are descriptions or prose.
std::vector<HelpFlag> parse_flag_help(std::string_view text);

/// Learns one row per flag: its default, and its kind from `types` when given (lines
/// `name<TAB>type`, the Go type the program names when it refuses a value of the wrong kind:
/// bool; int, int32, int64 as int; uint, uint32, uint64 as int from 0 (to the maximum of a
/// 32-bit or narrower type); time.Duration as an int counting nanoseconds, which is how a YAML
/// file must write it (the default is converted);
/// string and anything else as string). Without a type a flag whose default is true or false is
/// a bool and any other a string: a default's shape does not say what else the program accepts.
/// Rows are marked `doc`. With `types` the `*` row gets `quoted_is_string`: they are the fields the
/// program decodes its file into, where a quoted value is a string. Fails when the listing has
/// no flag or `types` has a malformed line.
Expected<SpecSet> learn_from_flag_help(std::string_view help, const DefaultsSource& source,
                                       std::string_view types = {});

}  // namespace ciri
