#include "ciri/suppress.hpp"

#include <regex>

#include "parsers/detect.hpp"
#include "parsers/text.hpp"

namespace ciri {

std::vector<Suppression> find_suppressions(std::string_view text) {
    // The marker must follow a comment opener so a value that says "ciri:ignore" is not one.
    static const std::regex re(R"((?:#|//|;|!|--|<!--)\s*.*?ciri:ignore\s+([^\s>]+)\s*(.*?)\s*(?:-->)?\s*$)");
    std::vector<Suppression> out;
    for (const auto& line : split_lines(text)) {
        if (line.text.find("ciri:ignore") == std::string_view::npos) continue;
        std::string s(line.text);
        std::smatch m;
        if (std::regex_search(s, m, re)) out.push_back({m[1].str(), m[2].str(), line.number});
    }
    return out;
}

void apply_suppressions(FileResult& result, const std::vector<Suppression>& inline_ones,
                        const std::vector<IgnoreEntry>& configured) {
    auto name_matches = [](const std::string& pattern, const std::string& key) {
        return pattern == key || glob_match(pattern, key);
    };
    for (auto& f : result.findings) {
        if (!f.suppressed.empty()) continue;
        for (const auto& s : inline_ones)
            if (name_matches(s.parameter, f.parameter)) {
                f.suppressed = s.reason.empty() ? "ciri:ignore at line " + std::to_string(s.line) : s.reason;
                break;
            }
        if (!f.suppressed.empty()) continue;
        for (const auto& e : configured)
            if (name_matches(e.parameter, f.parameter) && (e.glob.empty() || glob_match(e.glob, result.path) ||
                                                           glob_match("*/" + e.glob, result.path))) {
                f.suppressed = e.reason.empty() ? "ignored in .ciri.yaml" : e.reason;
                break;
            }
    }
    // A file whose every finding is suppressed is valid as far as the run is concerned.
    if (result.verdict == Outcome::misconfigured && result.active().empty()) result.verdict = Outcome::valid;
}

}  // namespace ciri
