// Java .properties, following java.util.Properties.load(Reader).
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

std::string_view trim_leading_ws(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && is_ws(s[i])) ++i;
    return s.substr(i);
}

/// True when `s` ends in an odd number of backslashes, i.e. the last one is not escaped.
bool continues(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && s[s.size() - 1 - n] == '\\') ++n;
    return n % 2 == 1;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The four hex digits after `\u` at s[i..i+3], or -1 when malformed (Java refuses the file).
int read_u4(std::string_view s, size_t i) {
    if (i + 4 > s.size()) return -1;
    int v = 0;
    for (size_t k = 0; k < 4; ++k) {
        int d = hex_digit(s[i + k]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/// Decodes the escape whose backslash is at s[i]; appends it to `out` and returns the index
/// just past it, or npos for a malformed \uXXXX.
size_t unescape_at(std::string_view s, size_t i, std::string& out) {
    if (i + 1 >= s.size()) return s.size();  // a final lone backslash stands for nothing
    char c = s[i + 1];
    switch (c) {
        case 't':
            out += '\t';
            return i + 2;
        case 'n':
            out += '\n';
            return i + 2;
        case 'r':
            out += '\r';
            return i + 2;
        case 'f':
            out += '\f';
            return i + 2;
        case 'u':
            break;
        default:
            out += c;
            return i + 2;
    }
    int cp = read_u4(s, i + 2);
    if (cp < 0) return std::string_view::npos;
    size_t next = i + 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && next + 1 < s.size() && s[next] == '\\' &&
        s[next + 1] == 'u') {
        int low = read_u4(s, next + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
            uint32_t pair = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            append_utf8(out, pair);
            return next + 6;
        }
    }
    append_utf8(out, static_cast<uint32_t>(cp));  // a lone surrogate becomes U+FFFD
    return next;
}

/// A comment line's text without its markers.
std::string_view comment_text(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && (line[i] == '#' || line[i] == '!')) ++i;
    return trim(line.substr(i));
}

/// True for `#key=value` / `#key: value`: a setting switched off, not prose. The key must
/// follow the marker directly, as editors write it when commenting a line out.
bool commented_out_setting(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && (line[i] == '#' || line[i] == '!')) ++i;
    size_t sep = line.find_first_of("=: \t", i);
    return sep != std::string_view::npos && sep > i && (line[sep] == '=' || line[sep] == ':');
}

}  // namespace

/// Parses a Java .properties file the way java.util.Properties reads it: `#`/`!` comment lines,
/// `key=value`, `key: value` or `key value`, backslash continuation (leading whitespace of the
/// continued line dropped; line = the first line). Keys are unescaped (`\ `, `\=`, `\:`, `\t`,
/// `\uXXXX` as UTF-8). Values keep the text as written after the separator, escapes included,
/// so `C:\\dir` stays `C:\\dir`; only the continuations are joined. Trailing whitespace of a
/// value is kept, as Java keeps it. A malformed `\uXXXX` (Java rejects the file) is an Error.
/// The comment block directly above a key (no blank line between) becomes its description;
/// a commented-out setting (`#key=value`) ends such a block instead of joining it.
Expected<std::vector<Parameter>> parse_properties(std::string_view text,
                                                  const ParseLimits& limits) {
    std::vector<Parameter> params;
    std::vector<Line> lines = split_lines(text);
    std::string comment;
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view first = trim_leading_ws(lines[i].text);
        int line = lines[i].number;
        if (first.empty()) {
            comment.clear();
            continue;
        }
        if (first[0] == '#' || first[0] == '!') {
            if (commented_out_setting(first)) {
                comment.clear();  // `#maxClientCnxns=60` describes nothing below it
                continue;
            }
            std::string_view c = comment_text(first);
            if (!c.empty()) comment += (comment.empty() ? "" : " ") + std::string(c);
            continue;
        }
        std::string logical(first);
        while (continues(logical)) {
            logical.pop_back();
            if (i + 1 >= lines.size()) break;
            logical += trim_leading_ws(lines[++i].text);
        }

        std::string_view s = logical;
        std::string key;
        size_t pos = 0;
        while (pos < s.size() && !is_ws(s[pos]) && s[pos] != '=' && s[pos] != ':') {
            if (s[pos] == '\\') {
                pos = unescape_at(s, pos, key);
                if (pos == std::string_view::npos) return fail("malformed \\uxxxx escape", line);
            } else {
                key += s[pos++];
            }
        }
        while (pos < s.size() && is_ws(s[pos])) ++pos;
        if (pos < s.size() && (s[pos] == '=' || s[pos] == ':')) ++pos;
        while (pos < s.size() && is_ws(s[pos])) ++pos;
        std::string_view value = s.substr(pos);
        for (size_t k = 0; k < value.size(); ++k) {
            if (value[k] != '\\') continue;
            std::string scratch;
            size_t next = unescape_at(value, k, scratch);
            if (next == std::string_view::npos) return fail("malformed \\uxxxx escape", line);
            k = next - 1;
        }
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", line);
        params.push_back({std::move(key), std::string(value), line, comment, {}});
        comment.clear();
    }
    return params;
}

}  // namespace ciri
