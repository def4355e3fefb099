// Python settings modules (Django's settings.py) read as text and never executed: each
// top-level `NAME = <expression>` is one setting whose value is the expression's source.
#include <algorithm>
#include <array>
#include <optional>

#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {
namespace {

struct PyStop {
    std::string message;
    int line;
};

constexpr std::array<std::string_view, 35> kKeywords = {
    "False", "None",   "True",    "and",      "as",       "assert", "async",
    "await", "break",  "class",   "continue", "def",      "del",    "elif",
    "else",  "except", "finally", "for",      "from",     "global", "if",
    "import", "in",    "is",      "lambda",   "nonlocal", "not",    "or",
    "pass",  "raise",  "return",  "try",      "while",    "with",   "yield"};

bool is_ident_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/// One logical line: physical lines joined by open brackets, open triple-quoted strings or
/// backslash continuations.
struct Logical {
    size_t start;
    size_t code_end;                ///< where a trailing comment (at bracket depth 0) starts
    size_t end;                     ///< the '\n' that ends it, or the text size
    std::vector<size_t> semicolons; ///< statement separators at depth 0
};

class LogicalScanner {
public:
    LogicalScanner(std::string_view text, const ParseLimits& limits)
        : t_(text), limits_(limits) {}

    /// Scans from `pos`, which starts a physical line on line `line`; advances `line` past
    /// every line break consumed inside the logical line.
    Logical scan(size_t pos, int& line) {
        Logical lg{pos, std::string_view::npos, t_.size(), {}};
        std::vector<std::pair<char, int>> open;  // bracket, line it opened on
        size_t i = pos;
        while (i < t_.size()) {
            char c = t_[i];
            if (c == '#') {
                if (open.empty() && lg.code_end == std::string_view::npos) lg.code_end = i;
                while (i < t_.size() && t_[i] != '\n') ++i;
                continue;
            }
            if (c == '\n') {
                if (open.empty()) {
                    lg.end = i;
                    break;
                }
                ++line;
                ++i;
                continue;
            }
            if (c == '\\') {
                if (i + 1 < t_.size() && t_[i + 1] == '\n') ++line;
                i += 2;
                continue;
            }
            if (c == '\'' || c == '"') {
                i = skip_string(i, line);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                if (static_cast<int>(open.size()) >= limits_.max_depth)
                    throw PyStop{"nesting deeper than " + std::to_string(limits_.max_depth) +
                                     " levels",
                                 line};
                open.emplace_back(c, line);
            } else if (c == ')' || c == ']' || c == '}') {
                char want = c == ')' ? '(' : c == ']' ? '[' : '{';
                if (open.empty()) throw PyStop{std::string("unmatched '") + c + "'", line};
                if (open.back().first != want)
                    throw PyStop{std::string("closing '") + c + "' does not match '" +
                                     open.back().first + "' opened on line " +
                                     std::to_string(open.back().second),
                                 line};
                open.pop_back();
            } else if (c == ';' && open.empty() && lg.code_end == std::string_view::npos) {
                lg.semicolons.push_back(i);
            }
            ++i;
        }
        if (!open.empty())
            throw PyStop{std::string("'") + open.back().first + "' was never closed",
                         open.back().second};
        if (i >= t_.size()) lg.end = t_.size();
        if (lg.code_end == std::string_view::npos || lg.code_end > lg.end) lg.code_end = lg.end;
        return lg;
    }

private:
    /// Skips the string starting at `i`; returns the index just past it.
    size_t skip_string(size_t i, int& line) {
        char q = t_[i];
        int open_line = line;
        bool triple = i + 2 < t_.size() && t_[i + 1] == q && t_[i + 2] == q;
        i += triple ? 3 : 1;
        while (i < t_.size()) {
            char c = t_[i];
            if (c == '\\') {
                if (i + 1 < t_.size() && t_[i + 1] == '\n') ++line;
                i += 2;
                continue;
            }
            if (c == '\n') {
                if (!triple) throw PyStop{"unterminated string", open_line};
                ++line;
            } else if (c == q && (!triple || (i + 2 < t_.size() && t_[i + 1] == q &&
                                              t_[i + 2] == q))) {
                return i + (triple ? 3 : 1);
            }
            ++i;
        }
        throw PyStop{triple ? "unterminated triple-quoted string" : "unterminated string",
                     open_line};
    }

    std::string_view t_;
    const ParseLimits& limits_;
};

/// The assignment operator at the start of `s` (after the name): "=", "+=" ... or empty.
std::string_view assign_op(std::string_view s) {
    static constexpr std::string_view ops[] = {"**=", "//=", ">>=", "<<=", "+=", "-=", "*=",
                                               "/=",  "%=",  "|=",  "&=",  "^=", "@="};
    if (s.starts_with("=") && !s.starts_with("==")) return s.substr(0, 1);
    for (std::string_view op : ops)
        if (s.starts_with(op)) return op;
    return {};
}

/// The first top-level '=' that is an assignment (not ==, <=, >=, !=, :=) in `s`, skipping
/// strings and brackets; npos when there is none.
size_t find_assignment(std::string_view s) {
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            size_t j = i + 1;
            while (j < s.size() && s[j] != c) j += s[j] == '\\' ? 2 : 1;
            i = j;
        } else if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            --depth;
        } else if (c == '=' && depth == 0) {
            char before = i > 0 ? s[i - 1] : ' ';
            char after = i + 1 < s.size() ? s[i + 1] : ' ';
            if (after != '=' && std::string_view("=<>!:").find(before) == std::string_view::npos)
                return i;
            if (after == '=') ++i;
        }
    }
    return std::string_view::npos;
}

/// A leading identifier of `s`, or empty.
std::string_view leading_name(std::string_view s) {
    if (s.empty() || !is_ident_start(s.front())) return {};
    size_t n = 1;
    while (n < s.size() && is_ident_char(s[n])) ++n;
    std::string_view name = s.substr(0, n);
    if (std::ranges::find(kKeywords, name) != kKeywords.end()) return {};
    return name;
}

struct Assignment {
    std::vector<std::string_view> names;  ///< `A = B = 1` assigns to both
    std::string_view op;
    std::string_view value;
};

/// Recognises `NAME = v`, `NAME: T = v`, `NAME op= v` and `A = B = v` in one statement.
std::optional<Assignment> match_assignment(std::string_view stmt) {
    Assignment a;
    std::string_view rest = trim(stmt);
    std::string_view name = leading_name(rest);
    if (name.empty()) return std::nullopt;
    rest = trim(rest.substr(name.size()));
    if (rest.starts_with(":") && !rest.starts_with(":=")) {
        size_t eq = find_assignment(rest);
        if (eq == std::string_view::npos) return std::nullopt;  // a bare annotation
        a.op = "=";
        rest = rest.substr(eq + 1);
    } else {
        a.op = assign_op(rest);
        if (a.op.empty()) return std::nullopt;
        rest = rest.substr(a.op.size());
    }
    a.names.push_back(name);
    while (a.op == "=") {
        std::string_view r = trim(rest);
        std::string_view next = leading_name(r);
        if (next.empty()) break;
        std::string_view after = trim(r.substr(next.size()));
        if (assign_op(after) != "=") break;
        a.names.push_back(next);
        rest = after.substr(1);
    }
    a.value = trim(rest);
    // Trailing blanks of a multi-line value (before a comment) are not part of it.
    while (!a.value.empty() && (a.value.back() == '\n' || a.value.back() == ' ' ||
                                a.value.back() == '\t' || a.value.back() == '\r'))
        a.value.remove_suffix(1);
    return a;
}

}  // namespace

/// Parses a Python settings module as text. Every top-level statement `NAME = expr`,
/// `NAME: T = expr` or `NAME op= expr` (also `A = B = expr`, and statements after ';') is a
/// parameter whose value is the expression's source verbatim, possibly spanning lines
/// (brackets, triple quotes, backslashes; comments inside are kept, a trailing one is not).
/// The line is the statement's first line; comment lines directly above become the
/// description; augmented assignments say so in the description. Indented lines (bodies of
/// def/if/class ...) and every other statement are skipped. Unclosed brackets and strings
/// are Errors at the line where they opened; stray or mismatched closers at their line.
Expected<std::vector<Parameter>> parse_python(std::string_view text, const ParseLimits& limits) {
    std::vector<Line> lines = split_lines(text);
    std::vector<Parameter> params;
    LogicalScanner scanner(text, limits);
    size_t pos = 0;
    int line = 1;
    try {
        while (pos < text.size()) {
            int first_line = line;
            bool indented = text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\f';
            Logical lg = scanner.scan(pos, line);
            if (!indented) {
                std::vector<size_t> cuts = lg.semicolons;
                cuts.push_back(lg.code_end);
                size_t seg = lg.start;
                for (size_t cut : cuts) {
                    std::string_view stmt = text.substr(seg, cut - seg);
                    int stmt_line =
                        first_line + static_cast<int>(std::count(text.begin() + static_cast<long>(lg.start),
                                                                 text.begin() + static_cast<long>(seg), '\n'));
                    seg = cut + 1;
                    auto a = match_assignment(stmt);
                    if (!a) continue;
                    if (a->value.empty())
                        throw PyStop{"missing value after '" + std::string(a->op) + "'", stmt_line};
                    std::string description = comment_block_above(lines, stmt_line, "#");
                    if (a->op != "=") {
                        if (!description.empty()) description += '\n';
                        description += "augmented assignment (" + std::string(a->op) + ")";
                    }
                    for (std::string_view name : a->names) {
                        if (params.size() >= limits.max_params)
                            throw PyStop{"more than " + std::to_string(limits.max_params) +
                                             " parameters",
                                         stmt_line};
                        params.push_back({std::string(name), std::string(a->value), stmt_line,
                                          description, {}});
                    }
                }
            }
            pos = lg.end + 1;
            ++line;
        }
    } catch (const PyStop& stop) {
        return fail(stop.message, stop.line);
    }
    return params;
}

}  // namespace ciri
