// INI as Python's configparser reads it (setup.cfg, tox.ini, mypy.ini, php.ini ...):
// [section] headers, key = value or key: value, indented continuation lines.
#include <cctype>
#include <tuple>

#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {
namespace {

bool is_comment(std::string_view trimmed) {
    return !trimmed.empty() && (trimmed.front() == ';' || trimmed.front() == '#');
}

/// Splits an inline comment off a value: ';' or '#' preceded by a blank. A value that
/// starts with the marker (`color = #fff`) keeps it.
std::pair<std::string_view, std::string_view> split_inline_comment(std::string_view value) {
    for (size_t i = 1; i < value.size(); ++i) {
        if ((value[i] == ';' || value[i] == '#') && (value[i - 1] == ' ' || value[i - 1] == '\t'))
            return {trim(value.substr(0, i)), trim(value.substr(i + 1))};
    }
    return {value, {}};
}

bool is_bare_key(std::string_view s) {
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
            return false;
    return !s.empty();
}

}  // namespace

/// Parses INI into keys `section.key` (just `key` before any section) with the section as
/// Parameter::section. `=` or `:` separates key and value, whichever comes first; values are
/// trimmed and lose an inline comment (';' or '#' after a blank), which then becomes the
/// description unless comment lines directly above the key provide one. Indented lines
/// after a key continue its value (joined with '\n', as configparser). A line holding only a
/// key name (MySQL option-file flags like `skip-name-resolve`) is a key with an empty value.
/// Duplicates are kept. Any other line and an unterminated `[section` are Errors with the line.
Expected<std::vector<Parameter>> parse_ini(std::string_view text, const ParseLimits& limits) {
    std::vector<Line> lines = split_lines(text);
    std::vector<Parameter> params;
    std::string section;
    bool in_value = false;  // the last key can still take continuation lines
    size_t pending_blank = 0;
    for (const Line& line : lines) {
        std::string_view t = trim(line.text);
        if (t.empty()) {
            if (in_value) ++pending_blank;
            continue;
        }
        if (is_comment(t)) continue;
        bool indented = line.text.front() == ' ' || line.text.front() == '\t';
        if (indented && in_value) {
            std::string& value = params.back().value;
            if (!value.empty()) value.append(pending_blank + 1, '\n');
            value += t;
            pending_blank = 0;
            continue;
        }
        pending_blank = 0;
        if (t.front() == '[') {
            size_t close = t.find(']');
            if (close == std::string_view::npos) return fail("unterminated section header", line.number);
            std::string_view rest = trim(t.substr(close + 1));
            if (!rest.empty() && !is_comment(rest))
                return fail("unexpected text after section header", line.number);
            std::string_view name = trim(t.substr(1, close - 1));
            if (name.empty()) return fail("empty section name", line.number);
            section = name;
            in_value = false;
            continue;
        }
        size_t sep = t.find_first_of("=:");
        std::string_view key = trim(t.substr(0, sep));
        std::string_view value;
        std::string_view inline_comment;
        if (sep == std::string_view::npos) {
            if (!is_bare_key(t))
                return fail("expected 'key = value' or '[section]'", line.number);
        } else {
            if (key.empty()) return fail("missing key before '" + std::string(1, t[sep]) + "'", line.number);
            std::tie(value, inline_comment) = split_inline_comment(trim(t.substr(sep + 1)));
        }
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters",
                        line.number);
        std::string description = comment_block_above(lines, line.number, ";#");
        if (description.empty()) description = inline_comment;
        params.push_back({section.empty() ? std::string(key) : section + "." + std::string(key),
                          std::string(value), line.number, std::move(description), section});
        in_value = true;
    }
    return params;
}

}  // namespace ciri
