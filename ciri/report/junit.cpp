// JUnit XML: one testcase per file, so CI dashboards show config files as tests.
#include <ostream>

#include "ciri/report/reporter.hpp"

namespace ciri {

void render_junit(const RunReport& report, std::ostream& out, const ReportOptions&) {
    int failures = report.count(Outcome::misconfigured), errors = report.count(Outcome::error),
        skipped = report.count(Outcome::inconclusive);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites name=\"ciri\" tests=\"" << report.files.size() << "\" failures=\"" << failures
        << "\" errors=\"" << errors << "\" time=\"" << report.wall_seconds << "\">\n"
        << "  <testsuite name=\"ciri\" tests=\"" << report.files.size() << "\" failures=\"" << failures
        << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\">\n";
    for (const auto& file : report.files) {
        out << "    <testcase classname=\"ciri." << xml_escape(file.system.empty() ? "unknown" : file.system)
            << "\" name=\"" << xml_escape(file.path) << "\"";
        std::string body;
        if (file.verdict == Outcome::misconfigured) {
            auto active = file.active();
            std::string text;
            for (const ReportedFinding* f : active)
                text += file.path + ":" + std::to_string(f->line) + ": " + f->parameter + " = " + f->value + ": " +
                        f->reason + "\n";
            body = "      <failure message=\"" + std::to_string(active.size()) + " misconfigured parameter(s)\" type=\"misconfiguration\">" +
                   xml_escape(text) + "</failure>\n";
        } else if (file.verdict == Outcome::error) {
            body = "      <error message=\"" + xml_escape(file.error) + "\" type=\"input-error\"/>\n";
        } else if (file.verdict == Outcome::inconclusive) {
            body = "      <skipped message=\"inconclusive: no verdict could be reached\"/>\n";
        }
        if (body.empty()) out << "/>\n";
        else out << ">\n" << body << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace ciri
