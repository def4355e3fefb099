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

std::string collapse_whitespace(std::string_view s) {
    std::string out;
    bool gap = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            gap = true;
            continue;
        }
        if (gap && !out.empty()) out += ' ';
        gap = false;
        out += c;
    }
    return out;
}

namespace {

/// The index just past the `$(...)`, `${...}` or `` `...` `` that starts at text[i], skipping
/// nested brackets and quoted text inside; npos when it never closes.
size_t skip_substitution(std::string_view text, size_t i) {
    if (text[i] == '`') {
        size_t j = i + 1;
        while (j < text.size() && text[j] != '`') j += text[j] == '\\' ? 2 : 1;
        return j < text.size() ? j + 1 : std::string_view::npos;
    }
    char open = text[i + 1];
    char close = open == '(' ? ')' : '}';
    int depth = 0;
    for (size_t j = i + 1; j < text.size(); ++j) {
        char c = text[j];
        if (c == '\\') {
            ++j;
        } else if (c == '\'' || c == '"') {
            size_t k = j + 1;
            while (k < text.size() && text[k] != c) k += (c == '"' && text[k] == '\\') ? 2 : 1;
            if (k >= text.size()) return std::string_view::npos;
            j = k;
        } else if (c == open) {
            ++depth;
        } else if (c == close && --depth == 0) {
            return j + 1;
        }
    }
    return std::string_view::npos;
}

bool starts_substitution(std::string_view text, size_t i) {
    return text[i] == '`' ||
           (text[i] == '$' && i + 1 < text.size() && (text[i + 1] == '(' || text[i + 1] == '{'));
}

}  // namespace

Expected<std::vector<ShellWord>> split_shell_words(std::string_view text, int first_line) {
    std::vector<ShellWord> words;
    int line = first_line;
    std::string word;
    bool in_word = false;  // a word may be empty ("") yet still exist
    int word_line = line;
    auto start = [&] {
        if (!in_word) word_line = line;
        in_word = true;
    };
    auto finish = [&] {
        if (in_word) words.push_back({std::move(word), word_line});
        word.clear();
        in_word = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') {
            finish();
            ++line;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            finish();
        } else if (c == '#' && !in_word) {
            while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
        } else if (c == '\\') {
            if (i + 1 >= text.size()) break;  // a lone final backslash escapes nothing
            char next = text[++i];
            if (next == '\n') {
                ++line;  // continuation: the word goes on on the next line
            } else {
                start();
                word += next;
            }
        } else if (starts_substitution(text, i)) {
            // Kept verbatim as one piece: `$(scontrol show hostnames)` is one value.
            start();
            size_t end = skip_substitution(text, i);
            if (end == std::string_view::npos) return fail("unterminated substitution", line);
            for (size_t k = i; k < end; ++k) line += text[k] == '\n';
            word.append(text.substr(i, end - i));
            i = end - 1;
        } else if (c == '\'' || c == '"') {
            start();
            int open_line = line;
            size_t j = i + 1;
            for (; j < text.size() && text[j] != c; ++j) {
                char d = text[j];
                if (c == '"' && starts_substitution(text, j)) {
                    size_t end = skip_substitution(text, j);
                    if (end == std::string_view::npos) return fail("unterminated substitution", line);
                    for (size_t k = j; k < end; ++k) line += text[k] == '\n';
                    word.append(text.substr(j, end - j));
                    j = end - 1;
                    continue;
                }
                if (c == '"' && d == '\\' && j + 1 < text.size() &&
                    std::string_view("\"\\$`\n").find(text[j + 1]) != std::string_view::npos) {
                    if (text[++j] == '\n') {
                        ++line;
                        continue;
                    }
                    d = text[j];
                } else if (d == '\n') {
                    ++line;
                }
                word += d;
            }
            if (j >= text.size()) return fail("unterminated quote", open_line);
            i = j;
        } else {
            start();
            word += c;
        }
    }
    finish();
    return words;
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

void append_utf8(std::string& out, uint32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool gather_hash_comment(std::string_view s, std::string& comment) {
    if (s.empty()) {
        comment.clear();
        return true;
    }
    if (s[0] != '#') return false;
    std::string_view c = s;
    while (!c.empty() && c[0] == '#') c.remove_prefix(1);
    c = trim(c);
    if (!c.empty()) comment += (comment.empty() ? "" : " ") + std::string(c);
    return true;
}

bool split_key_value(std::string_view name, std::string& key, std::string& value) {
    size_t eq = name.find('=');
    if (eq == std::string_view::npos) {
        key = std::string(name);
        return false;
    }
    key = std::string(name.substr(0, eq));
    value = std::string(name.substr(eq + 1));
    return true;
}

}  // namespace ciri
