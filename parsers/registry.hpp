// The table of formats: adding a format is one parser file plus one row here.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// Limits every parser honours so hostile input is rejected, not expanded.
struct ParseLimits {
    int max_depth = 64;             ///< nesting deeper than this is an error
    size_t max_params = 1'000'000;  ///< more parameters than this is an error
    size_t max_alias_nodes = 100'000;  ///< YAML: nodes reachable through aliases
};

/// A parser turns decoded text (LF line ends, no BOM) into parameters in file order,
/// or an Error with the 1-based line where the input stopped making sense.
using ParseFn = Expected<std::vector<Parameter>> (*)(std::string_view text, const ParseLimits&);

/// One row of the format table.
struct Format {
    std::string_view name;     ///< used by --format and in output
    std::string_view summary;  ///< one line for `ciri systems` and --help
    ParseFn parse;
};

/// All formats, in the order `ciri systems` lists them.
std::span<const Format> formats();

/// The format called `name`, or nullptr.
const Format* find_format(std::string_view name);

}  // namespace ciri
