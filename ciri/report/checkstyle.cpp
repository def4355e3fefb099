// Checkstyle XML: <file name><error line severity message source/></file>, the format Jenkins'
// warnings plugin, reviewdog and many CI tools read.
#include <map>
#include <ostream>

#include "ciri/report/issues.hpp"
#include "ciri/report/reporter.hpp"

namespace ciri {

void render_checkstyle(const RunReport& report, std::ostream& out, const ReportOptions&) {
    std::map<std::string, std::vector<Issue>> by_file;  // checkstyle groups errors per file
    for (auto& issue : issues_of(report)) by_file[issue.path].push_back(std::move(issue));
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
    for (const auto& file : report.files) {
        auto it = by_file.find(file.path);
        out << "  <file name=\"" << xml_escape(file.path) << "\"";
        if (it == by_file.end() || it->second.empty()) {
            out << "/>\n";
            continue;
        }
        out << ">\n";
        for (const auto& i : it->second)
            out << "    <error line=\"" << i.line << "\" severity=\"" << i.severity << "\" message=\""
                << xml_escape(i.message) << "\" source=\"" << xml_escape(i.rule_id) << "\"/>\n";
        out << "  </file>\n";
        it->second.clear();  // a path listed twice is reported once
    }
    out << "</checkstyle>\n";
}

}  // namespace ciri
