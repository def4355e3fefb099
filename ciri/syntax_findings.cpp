#include "ciri/syntax_findings.hpp"

namespace ciri {

int add_syntax_findings(FileResult& result, const ConfigFile& file) {
    for (const auto& e : file.syntax_errors) {
        ReportedFinding f;
        f.kind = "syntax";
        f.category = "Syntax";
        f.parameter = e.key;
        f.line = e.line;
        f.value = e.text;
        f.reason = "syntax error: " + e.message;
        f.voters = {"parser"};
        result.findings.push_back(std::move(f));
    }
    if (!file.syntax_errors.empty())
        result.notes.push_back(std::to_string(file.syntax_errors.size()) +
                               " syntax error(s); the other parameters were read and validated");
    return static_cast<int>(file.syntax_errors.size());
}

}  // namespace ciri
