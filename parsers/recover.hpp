// Reading past syntax errors: for a validator a broken line is a finding, not a reason to
// stop reading the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "parsers/config_file.hpp"
#include "parsers/registry.hpp"

namespace ciri {

/// What a recovering parse read: every parameter it could, and where it could not.
struct RecoveredParse {
    std::vector<Parameter> params;
    std::vector<SyntaxError> errors;  ///< in line order
};

/// The most syntax errors a line format reports before it stops reading a file.
inline constexpr size_t kMaxSyntaxErrors = 200;

/// True for the formats read line by line (properties, conf, directives, env, ini, slurm,
/// sbatch, args), where one broken line leaves the others readable.
bool is_line_format(std::string_view format);

/// True when `e` is a limit ciri sets or a construct it does not support (too many
/// parameters, nesting or alias expansion too deep, "not supported"): the file may be a fine
/// configuration, so it is not a syntax finding.
bool is_limit_error(const Error& e);

/// Parses `text` with `format`, going on past syntax errors. Line formats set the failing
/// line aside and read on, so every other parameter is kept (after kMaxSyntaxErrors errors the
/// rest of the file is not read, and the last error says so). Other formats (YAML, JSON, TOML,
/// XML, Python) report their first error and the parameters on lines before it. Every error
/// has a line: one the parser did not place blames the file's last non-blank line. The
/// result is an Error only for a limit (is_limit_error), with its line.
Expected<RecoveredParse> parse_recovering(const Format& format, std::string_view text,
                                          const ParseLimits& limits);

/// The parameter that line `line` (1-based) of `text` names, in the key style `format`'s
/// parser uses where the line alone says it (YAML keys get their parents from indentation);
/// "" when the line names none.
std::string key_named_by(std::string_view format, std::string_view text, int line);

}  // namespace ciri
