// `name = value` files with # comments, following PostgreSQL's guc-file.l.
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool is_name_char(char c) {
    // '.' admits PostgreSQL's qualified names (auto_explain.log_min_duration), '-' the names
    // of other programs that share this syntax.
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '$' || c == '.' || c == '-';
}

}  // namespace

/// Parses postgresql.conf-style lines: `name = value`, `name value` or `name=value`; `#` starts
/// a comment outside single quotes. The value is the text up to that comment, trimmed, quotes
/// kept as written (`'read committed'`); inside quotes `''` and `\'` do not end the string.
/// A quote opens a string only at the start of a word: a stray one inside a word
/// (`server.key'`) stays part of the value, so the file still parses and a validator sees
/// the damage (PostgreSQL itself would refuse the file).
/// A comment after the value becomes the description. `include`, `include_if_exists` and
/// `include_dir` are recorded as parameters with those keys and are not followed. Words after
/// the value are kept in it (PostgreSQL would reject them; a validator should see them).
/// `name =` with nothing after it is the empty value. Errors, with the line: a line not
/// starting with a name, a name with neither `=` nor a value, an unterminated quoted string.
Expected<std::vector<Parameter>> parse_conf(std::string_view text, const ParseLimits& limits) {
    std::vector<Parameter> params;
    for (const Line& l : split_lines(text)) {
        std::string_view s = trim(l.text);
        if (s.empty() || s[0] == '#') continue;
        if (!is_name_start(s[0])) return fail("expected a parameter name", l.number);
        size_t pos = 1;
        while (pos < s.size() && is_name_char(s[pos])) ++pos;
        std::string key(s.substr(0, pos));
        if (pos < s.size() && s[pos] != ' ' && s[pos] != '\t' && s[pos] != '=' && s[pos] != '\'' &&
            s[pos] != '#')
            return fail("bad character '" + std::string(1, s[pos]) + "' after parameter name",
                        l.number);
        std::string_view rest = trim(s.substr(pos));
        bool assigned = !rest.empty() && rest[0] == '=';
        if (assigned) rest = trim(rest.substr(1));

        size_t end = 0;
        bool quoted = false;
        for (; end < rest.size(); ++end) {
            char c = rest[end];
            if (quoted) {
                if (c == '\\' && end + 1 < rest.size()) {
                    ++end;
                } else if (c == '\'') {
                    if (end + 1 < rest.size() && rest[end + 1] == '\'')
                        ++end;
                    else
                        quoted = false;
                }
            } else if (c == '\'' && (end == 0 || rest[end - 1] == ' ' || rest[end - 1] == '\t')) {
                quoted = true;
            } else if (c == '#') {
                break;
            }
        }
        if (quoted) return fail("unterminated quoted string", l.number);
        std::string_view value = trim(rest.substr(0, end));
        // `name =` is the empty value; a bare `name` says nothing.
        if (value.empty() && !assigned) return fail("missing value for '" + key + "'", l.number);
        std::string description;
        if (end < rest.size()) {
            std::string_view c = rest.substr(end);
            while (!c.empty() && c[0] == '#') c.remove_prefix(1);
            description = std::string(trim(c));
        }
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", l.number);
        params.push_back(
            {std::move(key), std::string(value), l.number, std::move(description), {}});
    }
    return params;
}

}  // namespace ciri
