// GitLab Code Quality: a JSON array of {description, check_name, fingerprint, severity,
// location: {path, lines: {begin}}}, shown in merge request widgets.
#include <nlohmann/json.hpp>
#include <ostream>

#include "ciri/report/issues.hpp"
#include "ciri/report/reporter.hpp"

namespace ciri {

void render_codequality(const RunReport& report, std::ostream& out, const ReportOptions&) {
    nlohmann::json doc = nlohmann::json::array();
    for (const auto& i : issues_of(report)) {
        // GitLab's scale is info, minor, major, critical, blocker: a misconfiguration blocks a
        // deployment as a failing build would, so it is critical; an open question is minor.
        doc.push_back({{"description", i.message},
                       {"check_name", i.rule_id},
                       {"fingerprint", i.fingerprint},
                       {"severity", i.severity == "error" ? "critical" : "minor"},
                       {"location", {{"path", i.path}, {"lines", {{"begin", i.line}}}}}});
    }
    out << doc.dump(2) << "\n";
}

}  // namespace ciri
