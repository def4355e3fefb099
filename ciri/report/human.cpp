// Human output: what a person reads in a terminal.
#include <ostream>
#include <string_view>

#include "ciri/report/reporter.hpp"

namespace ciri {

namespace {

struct Paint {
    bool on;
    std::string operator()(const char* code, const std::string& text) const {
        return on ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    }
};

// Text from a repository (keys, values, paths, reasons quoting them) as the terminal should
// print it: C0 controls (ESC above all), DEL and the C1 controls (U+0080-U+009F, whose CSI
// also starts escape sequences) are spelled out, so a file cannot move the cursor, retitle the
// window or hide a line.
std::string safe(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                  static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7F) out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
        else if (c1) {
            auto d = static_cast<unsigned char>(text[++i]);
            out += std::string("\\u00") + kHex[d >> 4] + kHex[d & 15];
        } else out += static_cast<char>(c);
    }
    return out;
}

}  // namespace

void render_human(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    Paint paint{options.color};
    for (const auto& file : report.files) {
        std::string head = safe(file.path) + (file.system.empty() ? "" : " (" + safe(file.system) + ")");
        switch (file.verdict) {
            case Outcome::valid: out << head << ": " << paint("32", "valid") << "\n"; break;
            case Outcome::misconfigured: out << paint("1", head) << ": " << paint("31", "misconfigured") << "\n"; break;
            case Outcome::inconclusive: out << head << ": " << paint("33", "inconclusive") << "\n"; break;
            case Outcome::error:
                out << safe(file.path);
                if (file.error_line > 0) out << ":" << file.error_line;
                out << ": " << paint("31", "error") << ": " << safe(file.error) << "\n";
                break;
        }
        for (const auto& f : file.findings) {
            out << "  " << safe(file.path) << ":" << f.line << ": ";
            // A syntax error shows the line as written: it may name no parameter.
            if (f.kind == "syntax")
                out << (f.parameter.empty() ? "" : safe(f.parameter) + ": ") << safe(f.reason) << ": "
                    << safe(shown_value(f, options));
            else
                out << safe(f.parameter) << " = " << safe(shown_value(f, options)) << ": "
                    << safe(shown_reason(f, file, options));
            if (auto note = vote_note(f); !note.empty()) out << " [" << note << "]";
            if (!f.suppressed.empty()) out << paint("2", " (suppressed: " + safe(f.suppressed) + ")");
            out << "\n";
        }
        // Notes explain a missing verdict, or a verdict on a file of undetected software that rests on
        // generic checks alone; for the others they are detail the JSON output keeps.
        if (file.verdict == Outcome::inconclusive || (file.verdict != Outcome::error && file.system.empty()))
            for (const auto& note : file.notes) out << "  note: " << safe(note) << "\n";
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
    // Spend per backend when there is spend to split: tokens sent, read from the provider's
    // prefix cache (billed at a discount), and the estimate.
    if (report.backends.size() > 1 ||
        (report.backends.size() == 1 && (report.backends[0].cached_prompt_tokens > 0 || report.backends[0].cache_write_prompt_tokens > 0)))
        for (const auto& b : report.backends) {
            out << "  " << safe(b.model) << ": " << b.requests << " requests, " << b.prompt_tokens << " prompt tokens ("
                << b.cached_prompt_tokens << " cached";
            if (b.cache_write_prompt_tokens) out << ", " << b.cache_write_prompt_tokens << " written to the cache";
            out << "), " << b.completion_tokens << " completion tokens";
            if (b.cost_usd) {
                char cost[32];
                std::snprintf(cost, sizeof cost, "%.4f", *b.cost_usd);
                out << ", est. $" << cost;
            }
            out << "\n";
        }
    for (const auto& b : report.backends_down) out << "warning: backend " << b << " was down and skipped\n";
    if (report.unfinished > 0)
        out << "warning: the run's deadline (--deadline) passed: " << report.unfinished
            << " file(s) not finished, reported inconclusive at best, never valid\n";
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
