// TOML by hand (no TOML package is in Debian's C++ set): the model wants every key with its
// line and duplicates kept, which a conforming TOML library would refuse anyway.
#include <map>

#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {
namespace {

struct TomlStop {
    std::string message;
    int line;
};

bool is_bare_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class TomlParser {
public:
    TomlParser(std::string_view text, const ParseLimits& limits)
        : t_(text), limits_(limits), lines_(split_lines(text)) {}

    std::vector<Parameter> params;

    void run() {
        for (;;) {
            skip_blank_lines();
            if (eof()) return;
            if (peek() == '[') {
                header();
            } else {
                std::vector<Parameter> out;
                key_value(table_, 0, out);
                expect_line_end();
                for (Parameter& p : out) add(std::move(p));
            }
        }
    }

private:
    bool eof() const { return pos_ >= t_.size(); }
    char peek(size_t ahead = 0) const {
        return pos_ + ahead < t_.size() ? t_[pos_ + ahead] : '\0';
    }
    bool at(std::string_view s) const { return t_.substr(pos_).starts_with(s); }
    void advance() {
        if (t_[pos_] == '\n') ++line_;
        ++pos_;
    }

    void skip_spaces() {
        while (!eof() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) ++pos_;
    }
    void skip_comment() {
        if (peek() == '#')
            while (!eof() && peek() != '\n') ++pos_;
    }
    /// Blanks, comments and line ends, as between statements and between array items.
    void skip_blank_lines() {
        for (;;) {
            skip_spaces();
            skip_comment();
            if (eof() || peek() != '\n') return;
            advance();
        }
    }
    void expect_line_end() {
        skip_spaces();
        skip_comment();
        if (!eof() && peek() != '\n') throw TomlStop{"unexpected text after value", line_};
    }

    void add(Parameter p) {
        if (params.size() >= limits_.max_params)
            throw TomlStop{"more than " + std::to_string(limits_.max_params) + " parameters",
                           p.line};
        p.section = table_;
        p.description = comment_block_above(lines_, p.line, "#");
        params.push_back(std::move(p));
    }

    void check_depth(int depth) const {
        if (depth >= limits_.max_depth)
            throw TomlStop{"nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                           line_};
    }

    /// `[a.b]` or `[[a.b]]`; arrays of tables number their elements: `servers[0]`.
    void header() {
        int line = line_;
        bool array = at("[[");
        pos_ += array ? 2 : 1;
        skip_spaces();
        std::vector<std::string> path = key_path();
        skip_spaces();
        if (!at(array ? "]]" : "]"))
            throw TomlStop{array ? "bad array-of-tables header, expected ']]'"
                                 : "bad table header, expected ']'",
                           line};
        pos_ += array ? 2 : 1;
        expect_line_end();
        std::string resolved;
        for (size_t i = 0; i < path.size(); ++i) {
            if (!resolved.empty()) resolved += '.';
            resolved += path[i];
            if (array && i + 1 == path.size()) {
                resolved += "[" + std::to_string(aot_count_[resolved]++) + "]";
            } else if (auto it = aot_count_.find(resolved); it != aot_count_.end()) {
                // a table inside an array of tables belongs to its latest element
                resolved += "[" + std::to_string(it->second - 1) + "]";
            }
        }
        table_ = resolved;
    }

    std::vector<std::string> key_path() {
        std::vector<std::string> parts;
        for (;;) {
            skip_spaces();
            char c = peek();
            if (c == '"' && !at("\"\"\"")) {
                parts.push_back(basic_string());
            } else if (c == '\'' && !at("'''")) {
                parts.push_back(literal_string());
            } else {
                size_t start = pos_;
                while (!eof() && is_bare_key_char(peek())) ++pos_;
                if (pos_ == start)
                    throw TomlStop{eof() || c == '\n' || c == '=' ? "missing key"
                                                                  : "invalid character in key",
                                   line_};
                parts.emplace_back(t_.substr(start, pos_ - start));
            }
            skip_spaces();
            if (peek() != '.') return parts;
            ++pos_;
        }
    }

    void key_value(const std::string& prefix, int depth, std::vector<Parameter>& out) {
        int line = line_;
        std::vector<std::string> parts = key_path();
        skip_spaces();
        if (peek() != '=') throw TomlStop{"missing '=' after key", line};
        ++pos_;
        skip_spaces();
        std::string key = prefix;
        for (const std::string& p : parts) key += (key.empty() ? "" : ".") + p;
        value(key, line, depth, out);
    }

    void value(const std::string& key, int key_line, int depth, std::vector<Parameter>& out) {
        char c = peek();
        if (eof() || c == '\n' || c == '#') throw TomlStop{"missing value", line_};
        if (c == '"') {
            out.push_back({key, basic_string(), key_line, {}, {}});
        } else if (c == '\'') {
            out.push_back({key, literal_string(), key_line, {}, {}});
        } else if (c == '[') {
            array(key, key_line, depth, out);
        } else if (c == '{') {
            inline_table(key, key_line, depth, out);
        } else {
            out.push_back({key, scalar(), key_line, {}, {}});
        }
    }

    /// Arrays of scalars stay one parameter holding the array's text; arrays holding inline
    /// tables are flattened item by item (`key[i].x`), like arrays of tables.
    void array(const std::string& key, int key_line, int depth, std::vector<Parameter>& out) {
        check_depth(depth);
        size_t start = pos_;
        int open_line = line_;
        ++pos_;
        std::vector<Parameter> items;
        bool has_table = false;
        for (size_t i = 0;; ++i) {
            skip_blank_lines();
            if (eof()) throw TomlStop{"unterminated array", open_line};
            if (peek() == ']') break;
            has_table = has_table || peek() == '{';
            value(key + "[" + std::to_string(i) + "]", line_, depth + 1, items);
            skip_blank_lines();
            if (eof()) throw TomlStop{"unterminated array", open_line};
            if (peek() == ',') {
                ++pos_;
            } else if (peek() != ']') {
                throw TomlStop{"expected ',' or ']' in array", line_};
            }
        }
        ++pos_;
        if (has_table) {
            for (Parameter& p : items) out.push_back(std::move(p));
        } else {
            out.push_back({key, std::string(t_.substr(start, pos_ - start)), key_line, {}, {}});
        }
    }

    void inline_table(const std::string& key, int key_line, int depth,
                      std::vector<Parameter>& out) {
        check_depth(depth);
        int open_line = line_;
        ++pos_;
        skip_blank_lines();
        if (peek() == '}') {
            ++pos_;
            out.push_back({key, "{}", key_line, {}, {}});
            return;
        }
        for (;;) {
            skip_blank_lines();
            if (eof()) throw TomlStop{"unterminated inline table", open_line};
            key_value(key, depth + 1, out);
            skip_blank_lines();
            if (eof()) throw TomlStop{"unterminated inline table", open_line};
            if (peek() == '}') break;
            if (peek() != ',') throw TomlStop{"expected ',' or '}' in inline table", line_};
            ++pos_;
        }
        ++pos_;
    }

    /// Numbers, booleans, dates and times as written; anything else (an unquoted string,
    /// the commonest TOML mistake) is an error.
    std::string scalar() {
        int line = line_;
        size_t start = pos_;
        auto token_char = [](char c) {
            return is_bare_key_char(c) || c == '.' || c == ':' || c == '+';
        };
        while (!eof() && token_char(peek())) ++pos_;
        // `1979-05-27 07:32:00`: TOML allows a space between date and time
        if (pos_ - start == 10 && t_[start + 4] == '-' && peek() == ' ' && is_digit(peek(1)) &&
            is_digit(peek(2)) && peek(3) == ':') {
            ++pos_;
            while (!eof() && token_char(peek())) ++pos_;
        }
        std::string tok(t_.substr(start, pos_ - start));
        std::string_view body = tok;
        if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
        bool ok = tok == "true" || tok == "false" || body == "inf" || body == "nan" ||
                  (!body.empty() && is_digit(body.front()));
        if (!ok) {
            size_t end = t_.find_first_of(" \t\n,]}#", pos_);
            std::string shown(t_.substr(start, std::min(end, t_.size()) - start));
            throw TomlStop{shown.empty() ? "invalid value" : "invalid value '" + shown + "'", line};
        }
        return tok;
    }

    /// Consumes the opening delimiter of a `quote` string (one quote, or three for a
    /// multi-line one, whose newline right after the delimiter is not part of the value).
    /// True for a multi-line string.
    bool open_string(char quote) {
        bool multi = at(std::string(3, quote));
        pos_ += multi ? 3 : 1;
        if (multi && peek() == '\n') advance();
        return multi;
    }

    /// Inside a `quote` string opened at `open_line`: throws when it ends unterminated here;
    /// true when it closes here, the closing delimiter consumed and up to two quotes just
    /// before it (allowed in multi-line strings) appended to `out`.
    bool close_string(char quote, bool multi, int open_line, std::string& out) {
        if (eof()) throw TomlStop{"unterminated string", open_line};
        char c = peek();
        if (!multi && c == '\n') throw TomlStop{"unterminated string", open_line};
        if (c != quote) return false;
        if (!multi) {
            ++pos_;
            return true;
        }
        if (!at(std::string(3, quote))) return false;
        size_t n = 3;
        while (n < 5 && peek(n) == quote) ++n;
        out.append(n - 3, quote);
        pos_ += n;
        return true;
    }

    std::string basic_string() {
        int open_line = line_;
        bool multi = open_string('"');
        std::string out;
        for (;;) {
            if (close_string('"', multi, open_line, out)) return out;
            char c = peek();
            if (c != '\\') {
                out += c;
                advance();
                continue;
            }
            ++pos_;
            char e = peek();
            if (multi && (e == ' ' || e == '\t' || e == '\r' || e == '\n')) {
                // line-ending backslash: the line break and following blanks disappear
                size_t p = pos_;
                while (p < t_.size() && (t_[p] == ' ' || t_[p] == '\t' || t_[p] == '\r')) ++p;
                if (p < t_.size() && t_[p] != '\n')
                    throw TomlStop{"invalid escape in string", line_};
                while (!eof() && (peek() == ' ' || peek() == '\t' || peek() == '\r' ||
                                  peek() == '\n'))
                    advance();
                continue;
            }
            ++pos_;
            switch (e) {
            case 'b': out += '\b'; break;
            case 't': out += '\t'; break;
            case 'n': out += '\n'; break;
            case 'f': out += '\f'; break;
            case 'r': out += '\r'; break;
            case 'e': out += '\x1b'; break;
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case 'u':
            case 'U': {
                size_t len = e == 'u' ? 4 : 8;
                uint32_t cp = 0;
                for (size_t i = 0; i < len; ++i) {
                    char h = peek();
                    int d = is_digit(h) ? h - '0'
                            : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                            : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                     : -1;
                    if (d < 0) throw TomlStop{"invalid unicode escape in string", line_};
                    cp = cp * 16 + static_cast<uint32_t>(d);
                    ++pos_;
                }
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                    throw TomlStop{"invalid unicode escape in string", line_};
                append_utf8(out, cp);
                break;
            }
            default: throw TomlStop{"invalid escape in string", line_};
            }
        }
    }

    std::string literal_string() {
        int open_line = line_;
        bool multi = open_string('\'');
        std::string out;
        for (;;) {
            if (close_string('\'', multi, open_line, out)) return out;
            out += peek();
            advance();
        }
    }

    std::string_view t_;
    const ParseLimits& limits_;
    std::vector<Line> lines_;
    size_t pos_ = 0;
    int line_ = 1;
    std::string table_;
    std::map<std::string, size_t> aot_count_;  // array-of-tables path -> elements so far
};

}  // namespace

/// Parses TOML into dotted keys with the table as prefix and Parameter::section
/// (`[[servers]]` elements are `servers[0]`, `servers[1]` ...). Strings are unquoted with
/// escapes resolved; numbers, booleans, dates and times as written; an array of scalars is
/// one parameter holding the array's text verbatim, while arrays holding inline tables and
/// inline tables themselves are flattened (`key[i].x`, `key.x`); `{}` stays "{}". Comment
/// lines above a key become its description. Duplicate keys and re-opened tables are kept,
/// not rejected. Missing '=', unterminated strings, arrays and inline tables, bad headers,
/// unquoted string values and nesting deeper than limits.max_depth are Errors with the line.
Expected<std::vector<Parameter>> parse_toml(std::string_view text, const ParseLimits& limits) {
    TomlParser parser(text, limits);
    try {
        parser.run();
    } catch (const TomlStop& stop) {
        return fail(stop.message, stop.line);
    }
    return std::move(parser.params);
}

}  // namespace ciri
