#include "ciri/report/report.hpp"

#include <algorithm>

namespace ciri {

const char* to_string(Outcome v) {
    switch (v) {
        case Outcome::valid: return "valid";
        case Outcome::misconfigured: return "misconfigured";
        case Outcome::inconclusive: return "inconclusive";
        case Outcome::error: return "error";
    }
    return "error";
}

std::vector<const ReportedFinding*> FileResult::active() const {
    std::vector<const ReportedFinding*> out;
    for (const auto& f : findings)
        if (f.suppressed.empty()) out.push_back(&f);
    return out;
}

bool FileResult::is_secret(const std::string& key, int line) const {
    return std::ranges::find(secret_params, std::pair{key, line}) != secret_params.end();
}

int RunReport::count(Outcome v) const {
    return static_cast<int>(std::ranges::count(files, v, &FileResult::verdict));
}

std::map<std::string, int> RunReport::skipped_counts() const {
    std::map<std::string, int> out;
    for (const auto& s : skipped) ++out[s.reason.substr(0, s.reason.find(':'))];
    return out;
}

int RunReport::suppressed() const {
    int n = 0;
    for (const auto& f : files) n += static_cast<int>(f.findings.size() - f.active().size());
    return n;
}

}  // namespace ciri
