// Syntax errors as findings: a file its parser cannot fully read is misconfigured there.
#pragma once

#include "ciri/report/report.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// Adds one finding of kind "syntax" to `result` per syntax error of `file`: the parameter
/// the failing line names (or "" when it names none), the line, the line's text as the
/// value, and "syntax error: <parser message>" as the reason. Returns how many it added.
int add_syntax_findings(FileResult& result, const ConfigFile& file);

}  // namespace ciri
