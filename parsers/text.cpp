#include "parsers/text.hpp"

#include <algorithm>

namespace ciri {

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    int number = 1;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back({text.substr(start, end - start), number++});
        start = end + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

bool is_blank(std::string_view s) { return trim(s).empty(); }

std::string_view strip_quotes(std::string_view s) {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        return s.substr(1, s.size() - 2);
    return s;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string comment_block_above(const std::vector<Line>& lines, int line,
                                std::string_view markers) {
    std::vector<std::string_view> block;
    for (int i = line - 2; i >= 0 && i < static_cast<int>(lines.size()); --i) {
        std::string_view t = trim(lines[static_cast<size_t>(i)].text);
        if (t.empty() || markers.find(t.front()) == std::string_view::npos) break;
        block.push_back(trim(t.substr(std::min(t.find_first_not_of(markers), t.size()))));
    }
    std::string out;
    for (auto it = block.rbegin(); it != block.rend(); ++it) {
        if (!out.empty()) out += '\n';
        out += *it;
    }
    return out;
}

}  // namespace ciri
