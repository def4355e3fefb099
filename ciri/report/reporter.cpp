#include "ciri/report/reporter.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ciri {

void render_human(const RunReport&, std::ostream&, const ReportOptions&);
void render_json(const RunReport&, std::ostream&, const ReportOptions&);
void render_jsonl(const RunReport&, std::ostream&, const ReportOptions&);
void render_sarif(const RunReport&, std::ostream&, const ReportOptions&);
void render_junit(const RunReport&, std::ostream&, const ReportOptions&);
void render_github(const RunReport&, std::ostream&, const ReportOptions&);
void render_checkstyle(const RunReport&, std::ostream&, const ReportOptions&);
void render_codequality(const RunReport&, std::ostream&, const ReportOptions&);

namespace {

constexpr Reporter kReporters[] = {
    {"human", "path:line: parameter = value: reason [votes], grouped per file", render_human},
    {"json", "one JSON document: files, findings, summary, usage", render_json},
    {"jsonl", "JSON Lines: one object per file as each finishes, then a summary line", render_jsonl},
    {"sarif", "SARIF 2.1.0, as GitHub code scanning accepts it", render_sarif},
    {"junit", "JUnit XML, one testcase per file", render_junit},
    {"github", "GitHub Actions ::error annotations", render_github},
    {"checkstyle", "Checkstyle XML, as Jenkins, reviewdog and many CI tools read it", render_checkstyle},
    {"codequality", "GitLab Code Quality JSON (artifacts:reports:codequality)", render_codequality},
};

std::string number(double x) {
    std::ostringstream s;
    if (std::fabs(x - std::round(x)) < 1e-9) s << static_cast<long>(std::llround(x));
    else s << std::round(x * 100) / 100;
    return s.str();
}

}  // namespace

std::span<const Reporter> reporters() { return kReporters; }

const Reporter* find_reporter(std::string_view name) {
    auto it = std::ranges::find(kReporters, name, &Reporter::name);
    return it == std::end(kReporters) ? nullptr : it;
}

std::string shown_value(const ReportedFinding& f, const ReportOptions& options) {
    return f.secret && !options.show_secrets ? "<redacted>" : f.value;
}

std::string shown_reason(const ReportedFinding& f, const FileResult& file, const ReportOptions& options) {
    std::string reason = f.reason;
    if (options.show_secrets) return reason;
    // Short secrets would mask ordinary words; they are masked as values only.
    for (const auto& s : file.secrets)
        if (s.size() >= 4)
            for (size_t at = 0; (at = reason.find(s, at)) != std::string::npos; at += 10) reason.replace(at, s.size(), "<redacted>");
    return reason;
}

std::string xml_escape(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // XML 1.0 forbids most control characters even when escaped.
                if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') out += ' ';
                else out += static_cast<char>(c);
        }
    }
    return out;
}

std::string vote_note(const ReportedFinding& f) {
    if (f.total <= 0) return "";
    std::string out = "votes " + number(f.votes) + "/" + number(f.total);
    for (size_t i = 0; i < f.voters.size(); ++i) out += (i ? ", " : ": ") + f.voters[i];
    // A certain rules finding that stood against LLMs says so, with who disagreed.
    for (size_t i = 0; i < f.dissent.size(); ++i) out += (i ? ", " : "; fine to: ") + f.dissent[i];
    if (!f.dissent.empty()) out += " (a certain rules finding stands alone)";
    return out;
}

}  // namespace ciri
