// GitHub Actions workflow commands: annotations on the changed lines of a pull request.
#include <ostream>

#include "ciri/report/reporter.hpp"

namespace ciri {

namespace {

// Escaping rules of workflow commands: data escapes % CR LF; properties also : and ,.
std::string escape_data(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%') out += "%25";
        else if (c == '\r') out += "%0D";
        else if (c == '\n') out += "%0A";
        else out += c;
    }
    return out;
}

std::string escape_property(const std::string& s) {
    std::string out;
    for (char c : escape_data(s)) {
        if (c == ':') out += "%3A";
        else if (c == ',') out += "%2C";
        else out += c;
    }
    return out;
}

}  // namespace

void render_github(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    for (const auto& file : report.files) {
        if (file.verdict == Outcome::error) {
            out << "::error file=" << escape_property(file.path) << ",line=" << std::max(file.error_line, 1)
                << ",title=" << escape_property("ciri: cannot read file") << "::" << escape_data(file.error) << "\n";
            continue;
        }
        if (file.verdict == Outcome::inconclusive && options.min_severity != "error")
            out << "::warning file=" << escape_property(file.path)
                << ",line=1,title=ciri%3A inconclusive::no verdict could be reached for this file\n";
        for (const ReportedFinding* f : file.active()) {
            std::string msg = f->parameter + " = " + shown_value(*f, options) + ": " + shown_reason(*f, file, options);
            if (auto note = vote_note(*f); !note.empty()) msg += " [" + note + "]";
            out << "::error file=" << escape_property(file.path) << ",line=" << std::max(f->line, 1)
                << ",title=" << escape_property("ciri: " + f->parameter) << "::" << escape_data(msg) << "\n";
        }
    }
}

}  // namespace ciri
