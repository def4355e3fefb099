// Reporters render a RunReport for people, machines or CI; picked by name from a table.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "ciri/report/report.hpp"

namespace ciri {

struct ReportOptions {
    bool color = false;         ///< ANSI colours (human output on a TTY only)
    bool show_secrets = false;  ///< print secret values (validate --show-secrets, for local use)
    bool verbose = false;       ///< list every skipped path, not only their counts
    std::string min_severity = "warning";  ///< "error" leaves warnings (inconclusive files) out
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

/// The value a report prints: `<redacted>` for a secret unless `options.show_secrets`.
std::string shown_value(const ReportedFinding& finding, const ReportOptions& options);

/// The reason a report prints: with the file's secrets masked unless `options.show_secrets`
/// (a rules reason may quote the value).
std::string shown_reason(const ReportedFinding& finding, const FileResult& file, const ReportOptions& options);

/// `s` escaped for XML text and attribute values; control characters XML 1.0 forbids become spaces.
std::string xml_escape(std::string_view s);

/// The version of the JSON report's layout (`schema_version`, documented by
/// docs/report.schema.json); raised whenever a field is removed or changes meaning.
inline constexpr int kJsonSchemaVersion = 1;

/// The "votes 5/6: a, b" note shared by the human and CI renderers; "" when nobody voted.
std::string vote_note(const ReportedFinding& finding);

}  // namespace ciri
