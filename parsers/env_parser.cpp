// dotenv and shell environment files: [export ]NAME=value.
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
    // '.' and '-' are not shell names, but dotenv loaders accept them (spring.profiles.active).
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/// `s` with a leading `export` word removed, or unchanged.
std::string_view skip_export(std::string_view s) {
    if (s.starts_with("export") && s.size() > 6 && is_space(s[6])) return trim(s.substr(6));
    return s;
}

/// True when every word of `s` is a name: `export A B` marks variables, it assigns nothing.
bool only_names(std::string_view s) {
    bool any = false;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) ++i;
        if (i >= s.size()) break;
        if (!is_name_start(s[i])) return false;
        while (i < s.size() && !is_space(s[i])) {
            if (!is_name_char(s[i])) return false;
            ++i;
        }
        any = true;
    }
    return any;
}

}  // namespace

/// Parses dotenv / shell env files. Each `[export ]NAME=value` (blanks around `=` allowed, as
/// dotenv allows them) gives key NAME and value = the text after `=` as written, trimmed, with
/// quotes kept (`"a b"` stays `"a b"`) and a trailing ` # comment` removed when the `#` is
/// outside quotes and follows a blank; that comment becomes the description, else the comment
/// block directly above does. '...' and "..." may span lines (line = the first line; the value
/// keeps the newlines). `export NAME` without `=` assigns nothing and is skipped. Any other
/// non-blank, non-comment line is an Error with its line, as is an unterminated quote (at the
/// line where the value starts).
Expected<std::vector<Parameter>> parse_env(std::string_view text, const ParseLimits& limits) {
    std::vector<Parameter> params;
    std::vector<Line> lines = split_lines(text);
    std::string comment;
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view s = trim(lines[i].text);
        int line = lines[i].number;
        if (gather_hash_comment(s, comment)) continue;
        std::string_view body = skip_export(s);
        size_t pos = 0;
        if (!body.empty() && is_name_start(body[0]))
            while (pos < body.size() && is_name_char(body[pos])) ++pos;
        std::string key(body.substr(0, pos));
        std::string_view rest = body.substr(pos);
        size_t blanks = 0;
        while (blanks < rest.size() && is_space(rest[blanks])) ++blanks;
        if (key.empty() || blanks == rest.size() || rest[blanks] != '=') {
            if (body != s && only_names(body)) continue;
            return fail("expected NAME=value", line);
        }
        rest.remove_prefix(blanks + 1);

        // Scan the value, crossing line ends while a quote is open.
        std::string value;
        std::string trailing;
        char quote = 0;
        bool after_blank = true;  // `NAME= #x` is an empty value and a comment
        for (;;) {
            size_t k = 0;
            for (; k < rest.size(); ++k) {
                char c = rest[k];
                bool escaped = false;
                if (quote) {
                    if (c == '\\' && quote == '"' && k + 1 < rest.size()) {
                        value += c;
                        c = rest[++k];
                        escaped = true;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && k + 1 < rest.size()) {
                    value += c;
                    c = rest[++k];
                    escaped = true;
                } else if (c == '#' && after_blank) {
                    trailing = std::string(trim(rest.substr(k + 1)));
                    break;
                }
                after_blank = !escaped && is_space(c);
                value += c;
            }
            if (!quote) break;
            if (i + 1 >= lines.size()) return fail("unterminated quote", line);
            value += '\n';
            rest = lines[++i].text;
            after_blank = false;
        }
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", line);
        params.push_back({std::move(key),
                          std::string(trim(value)),
                          line,
                          trailing.empty() ? comment : trailing,
                          {}});
        comment.clear();
    }
    return params;
}

}  // namespace ciri
