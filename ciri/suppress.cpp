#include "ciri/suppress.hpp"

#include <optional>

#include "parsers/detect.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Where the first comment opener (#, //, ;, !, --, and so <!--) of a line starts, or npos.
size_t first_comment_opener(std::string_view line) {
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '#' || c == ';' || c == '!') return i;
        if ((c == '/' || c == '-') && i + 1 < line.size() && line[i + 1] == c) return i;
    }
    return std::string_view::npos;
}

// `ciri:ignore <parameter> [reason] [-->]` in one line, after a comment opener so a value
// that says "ciri:ignore" is not one. A plain scan: linear in the line, whatever it holds.
std::optional<Suppression> suppression_in(std::string_view line, int number) {
    static constexpr std::string_view kMarker = "ciri:ignore";
    size_t opener = first_comment_opener(line);
    if (opener == std::string_view::npos) return std::nullopt;
    for (size_t at = line.find(kMarker, opener); at != std::string_view::npos; at = line.find(kMarker, at + 1)) {
        size_t i = at + kMarker.size();
        if (i >= line.size() || !is_space(line[i])) continue;
        while (i < line.size() && is_space(line[i])) ++i;
        size_t name_start = i;
        while (i < line.size() && !is_space(line[i]) && line[i] != '>') ++i;
        if (i == name_start) continue;
        std::string_view reason = line.substr(i);
        auto trim_spaces = [](std::string_view& s) {
            while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
            while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
        };
        trim_spaces(reason);
        if (reason.ends_with("-->")) reason.remove_suffix(3);
        trim_spaces(reason);
        return Suppression{std::string(line.substr(name_start, i - name_start)), std::string(reason), number};
    }
    return std::nullopt;
}

}  // namespace

std::vector<Suppression> find_suppressions(std::string_view text) {
    std::vector<Suppression> out;
    for (const auto& line : split_lines(text))
        if (auto s = suppression_in(line.text, line.number)) out.push_back(std::move(*s));
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
