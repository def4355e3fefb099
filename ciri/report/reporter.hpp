// Reporters render a RunReport for people, machines or CI; picked by name from a table.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "ciri/report/report.hpp"

namespace ciri {

struct ReportOptions {
    bool color = false;  ///< ANSI colours (human output on a TTY only)
};

/// Writes `report` to `out` in one format.
using RenderFn = void (*)(const RunReport& report, std::ostream& out, const ReportOptions& options);

/// One row of the reporter table.
struct Reporter {
    std::string_view name;     ///< used by --format
    std::string_view summary;  ///< one line for --help
    RenderFn render;
};

/// All reporters, in the order --help lists them.
std::span<const Reporter> reporters();

/// The reporter called `name`, or nullptr.
const Reporter* find_reporter(std::string_view name);

/// `s` escaped for XML text and attribute values; control characters XML 1.0 forbids become spaces.
std::string xml_escape(std::string_view s);

/// The version of the JSON report's layout (`schema_version`, documented by
/// docs/report.schema.json); raised whenever a field is removed or changes meaning.
inline constexpr int kJsonSchemaVersion = 1;

/// The "votes 5/6: a, b" note shared by the human and CI renderers; "" when nobody voted.
std::string vote_note(const ReportedFinding& finding);

}  // namespace ciri
