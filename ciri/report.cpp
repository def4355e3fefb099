#include "ciri/report.hpp"

#include <algorithm>

namespace ciri {

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::valid: return "valid";
        case Verdict::misconfigured: return "misconfigured";
        case Verdict::inconclusive: return "inconclusive";
        case Verdict::error: return "error";
    }
    return "error";
}

std::vector<const Finding*> FileResult::active() const {
    std::vector<const Finding*> out;
    for (const auto& f : findings)
        if (f.suppressed.empty()) out.push_back(&f);
    return out;
}

int RunReport::count(Verdict v) const {
    return static_cast<int>(std::ranges::count(files, v, &FileResult::verdict));
}

int RunReport::suppressed() const {
    int n = 0;
    for (const auto& f : files) n += static_cast<int>(f.findings.size() - f.active().size());
    return n;
}

}  // namespace ciri
