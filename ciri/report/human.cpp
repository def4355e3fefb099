// Human output: what a person reads in a terminal.
#include <ostream>

#include "ciri/report/reporter.hpp"

namespace ciri {

namespace {

struct Paint {
    bool on;
    std::string operator()(const char* code, const std::string& text) const {
        return on ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    }
};

}  // namespace

void render_human(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    Paint paint{options.color};
    for (const auto& file : report.files) {
        std::string head = file.path + (file.system.empty() ? "" : " (" + file.system + ")");
        switch (file.verdict) {
            case Outcome::valid: out << head << ": " << paint("32", "valid") << "\n"; break;
            case Outcome::misconfigured: out << paint("1", head) << ": " << paint("31", "misconfigured") << "\n"; break;
            case Outcome::inconclusive: out << head << ": " << paint("33", "inconclusive") << "\n"; break;
            case Outcome::error:
                out << file.path;
                if (file.error_line > 0) out << ":" << file.error_line;
                out << ": " << paint("31", "error") << ": " << file.error << "\n";
                break;
        }
        for (const auto& f : file.findings) {
            out << "  " << file.path << ":" << f.line << ": ";
            // A syntax error shows the line as written: it may name no parameter.
            if (f.kind == "syntax") out << (f.parameter.empty() ? "" : f.parameter + ": ") << f.reason << ": " << f.value;
            else out << f.parameter << " = " << f.value << ": " << f.reason;
            if (auto note = vote_note(f); !note.empty()) out << " [" << note << "]";
            if (!f.suppressed.empty()) out << paint("2", " (suppressed: " + f.suppressed + ")");
            out << "\n";
        }
        // Notes explain a missing verdict; for the others they are detail the JSON output keeps.
        if (file.verdict == Outcome::inconclusive)
            for (const auto& note : file.notes) out << "  note: " << note << "\n";
    }
    const auto& u = report.usage;
    out << report.files.size() << (report.files.size() == 1 ? " file: " : " files: ")
        << report.count(Outcome::misconfigured) << " misconfigured, " << report.count(Outcome::valid) << " valid, "
        << report.count(Outcome::inconclusive) << " inconclusive";
    if (int e = report.count(Outcome::error)) out << ", " << e << " unreadable";
    if (int s = report.suppressed()) out << "; " << s << " suppressed";
    out << "; " << u.requests << " requests";
    if (u.cached_requests) out << " (" << u.cached_requests << " cached)";
    if (u.cost_usd > 0) {
        char cost[32];
        std::snprintf(cost, sizeof cost, "%.4f", u.cost_usd);
        out << ", est. $" << cost;
    }
    out << "\n";
    for (const auto& b : report.backends_down) out << "warning: backend " << b << " was down and skipped\n";
    // Nothing is left out in silence: what the walk skipped is counted, and listed on demand.
    if (!report.skipped.empty()) {
        out << "skipped " << report.skipped.size() << (report.skipped.size() == 1 ? " path: " : " paths: ");
        bool first = true;
        for (const auto& [reason, n] : report.skipped_counts()) out << (first ? "" : ", ") << n << " " << reason, first = false;
        out << (options.verbose ? "\n" : " (--verbose lists them)\n");
        if (options.verbose)
            for (const auto& s : report.skipped) out << "  skipped " << s.path << ": " << s.reason << "\n";
    }
}

}  // namespace ciri
