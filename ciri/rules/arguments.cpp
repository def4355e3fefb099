#include "ciri/rules/arguments.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>

#include "ciri/rules/format.hpp"
#include "ciri/rules/value.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::optional<long double> bound(std::string_view t) {
    if (t.empty()) return std::nullopt;
    return parse_number(t);
}

// `int:MIN..MAX`, `float:MIN..` and the like: the bounds after the colon.
bool parse_bounds(std::string_view spec, ArgItem& item) {
    size_t dots = spec.find("..");
    if (dots == std::string_view::npos) return false;
    std::string_view lo = spec.substr(0, dots), hi = spec.substr(dots + 2);
    item.min = bound(lo);
    item.max = bound(hi);
    return (lo.empty() || item.min) && (hi.empty() || item.max) && (item.min || item.max);
}

Expected<ArgItem> parse_atom(std::string_view word) {
    ArgItem item;
    std::string_view name = word, spec;
    if (size_t colon = word.find(':'); colon != std::string_view::npos) {
        name = word.substr(0, colon);
        spec = word.substr(colon + 1);
    }
    if (name == "url" || name == "bind-url") {
        item.type = name == "url" ? ArgItem::Type::url : ArgItem::Type::bind_url;
        for (size_t at = 0; at <= spec.size();) {
            size_t bar = std::min(spec.find('|', at), spec.size());
            if (bar == at) return fail(rules_detail::format("'{}' needs its schemes, as url:http|https", word));
            item.choices.emplace_back(spec.substr(at, bar - at));
            at = bar + 1;
        }
        return item;
    }
    if (name == "any") item.type = ArgItem::Type::any;
    else if (name == "word") item.type = ArgItem::Type::word;
    else if (name == "basename") item.type = ArgItem::Type::basename;
    else if (name == "int") item.type = ArgItem::Type::integer;
    else if (name == "float") item.type = ArgItem::Type::decimal;
    else if (name == "size") item.type = ArgItem::Type::size;
    else if (name == "go-duration") item.type = ArgItem::Type::go_duration;
    else if (name == "pair") item.type = ArgItem::Type::pair;
    else if (name == "''") item.type = ArgItem::Type::empty;
    else if (name.size() > 2 && name.front() == '\'' && name.back() == '\'' && name.find('|') == std::string_view::npos)
        item.type = ArgItem::Type::choice, item.choices.emplace_back(name.substr(1, name.size() - 2));
    else if (name.find('|') != std::string_view::npos) {
        item.type = ArgItem::Type::choice;
        for (size_t at = 0; at <= name.size();) {
            size_t bar = std::min(name.find('|', at), name.size());
            std::string_view w = name.substr(at, bar - at);
            if (w.empty()) return fail(rules_detail::format("empty choice in '{}'", word));
            item.choices.emplace_back(w == "''" ? "" : w);
            at = bar + 1;
        }
    } else {
        return fail(rules_detail::format("unknown argument type '{}' (any, word, basename, int, float, size, go-duration, pair, '', a|b, 'a')",
                                         word));
    }
    if (!spec.empty()) {
        bool numeric = item.type == ArgItem::Type::integer || item.type == ArgItem::Type::decimal;
        if (!numeric || !parse_bounds(spec, item))
            return fail(rules_detail::format("malformed bounds in '{}': write int:MIN..MAX, int:MIN.. or float:..MAX", word));
    }
    return item;
}

// Items up to a `)` (when nested) or the end.
Expected<std::vector<ArgItem>> parse_items(const std::vector<std::string>& words, size_t& at, bool nested) {
    std::vector<ArgItem> items;
    while (at < words.size()) {
        std::string w = words[at];
        if (w == ")") {
            if (!nested) return fail("unbalanced ')' in argument grammar");
            return items;
        }
        ++at;
        ArgItem item;
        if (w == "(") {
            auto inner = parse_items(words, at, true);
            if (!inner) return std::unexpected(inner.error());
            if (at >= words.size() || words[at] != ")") return fail("unclosed '(' in argument grammar");
            ++at;
            if (inner->empty()) return fail("empty group in argument grammar");
            item.type = ArgItem::Type::group;
            item.group = std::move(*inner);
            // A quantifier written after the `)` is its own word.
            if (at < words.size() && (words[at] == "*" || words[at] == "+")) item.repeat = words[at++][0];
        } else {
            char repeat = 0;
            if (w.size() > 1 && (w.back() == '*' || w.back() == '+')) {
                repeat = w.back();
                w.pop_back();
            }
            auto atom = parse_atom(w);
            if (!atom) return std::unexpected(atom.error());
            item = std::move(*atom);
            item.repeat = repeat;
        }
        items.push_back(std::move(item));
    }
    if (nested) return fail("unclosed '(' in argument grammar");
    return items;
}

bool is_integer_text(std::string_view t, long double& out) {
    // strtoll with an end check: an optional sign, then digits only (blanks before are skipped).
    size_t i = 0;
    while (i < t.size() && is_blank(t[i])) ++i;
    t = t.substr(i);
    std::string_view digits = t;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits = digits.substr(1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return false;
    auto n = parse_number(t);
    if (!n) return false;
    out = *n;
    return true;
}

// Redis's memtoull: digits (none reads as 0), then nothing or one of its units, in any case; no sign.
bool is_size_text(std::string_view t) {
    size_t i = 0;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    std::string unit = to_lower(t.substr(i));
    static const char* kUnits[] = {"", "b", "k", "kb", "m", "mb", "g", "gb"};
    return std::any_of(std::begin(kUnits), std::end(kUnits), [&](const char* u) { return unit == u; });
}

// Go's time.ParseDuration: an optional sign, then one or more decimal numbers each with a unit
// (ns, us, µs, ms, s, m, h); a bare "0" too.
bool is_go_duration(std::string_view t) {
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) t = t.substr(1);
    if (t == "0") return true;
    if (t.empty()) return false;
    static const char* kUnits[] = {"ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "m", "h"};
    while (!t.empty()) {
        size_t i = 0, digits = 0;
        while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
        if (i < t.size() && t[i] == '.') {
            ++i;
            while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
        }
        if (digits == 0) return false;
        t = t.substr(i);
        size_t u = 0;
        while (u < t.size() && !std::isdigit(static_cast<unsigned char>(t[u])) && t[u] != '.') ++u;
        std::string_view unit = t.substr(0, u);
        if (std::none_of(std::begin(kUnits), std::end(kUnits), [&](const char* k) { return unit == k; })) return false;
        t = t.substr(u);
    }
    return true;
}

// A URL as Go's url.Parse and net.SplitHostPort read it: a listed scheme (any case), `://`, an
// optional `user@`, a host and a `:` before the port (a bracketed IPv6 host), and no path.
bool is_url_text(std::string_view t, const ArgItem& item) {
    t = trim(t);
    size_t sep = t.find("://");
    if (sep == std::string_view::npos) return false;
    std::string scheme = to_lower(t.substr(0, sep));
    if (std::none_of(item.choices.begin(), item.choices.end(), [&](const std::string& s) { return to_lower(s) == scheme; }))
        return false;
    std::string_view rest = t.substr(sep + 3);
    size_t end = rest.find_first_of("/?#");
    if (end != std::string_view::npos && rest[end] == '/') return false;  // a path
    std::string_view authority = rest.substr(0, end);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    std::string_view host;
    if (authority.starts_with("[")) {
        size_t close = authority.find(']');
        if (close == std::string_view::npos || close + 1 >= authority.size() || authority[close + 1] != ':') return false;
        host = authority.substr(1, close - 1);
    } else {
        size_t colon = authority.rfind(':');
        if (colon == std::string_view::npos) return false;  // missing port
        host = authority.substr(0, colon);
        if (host.find(':') != std::string_view::npos) return false;  // too many colons
    }
    if (item.type == ArgItem::Type::url) return !host.empty();
    if (scheme == "unix" || scheme == "unixs") return true;
    return host == "localhost" || is_ipv4(host) || is_ipv6(host);
}

std::string bounds_text(const ArgItem& item) {
    if (item.min && item.max)
        return rules_detail::format(" from {} to {}", static_cast<double>(*item.min), static_cast<double>(*item.max));
    if (item.min) return rules_detail::format(" of at least {}", static_cast<double>(*item.min));
    if (item.max) return rules_detail::format(" of at most {}", static_cast<double>(*item.max));
    return "";
}

std::string describe(const ArgItem& item) {
    switch (item.type) {
        case ArgItem::Type::any: return "an argument";
        case ArgItem::Type::word: return "a non-empty argument";
        case ArgItem::Type::basename: return "a file name (no directory)";
        case ArgItem::Type::integer: return "a whole number" + bounds_text(item);
        case ArgItem::Type::decimal: return "a number" + bounds_text(item);
        case ArgItem::Type::size: return "a memory size (digits with an optional unit b, k, kb, m, mb, g, gb)";
        case ArgItem::Type::go_duration: return "a duration (a number with a unit ns, us, ms, s, m or h)";
        case ArgItem::Type::pair: return "a key=value pair";
        case ArgItem::Type::url:
        case ArgItem::Type::bind_url: {
            std::string schemes;
            for (const auto& c : item.choices) schemes += (schemes.empty() ? "" : ", ") + c;
            return "a URL scheme://host:port without a path (" + schemes + ")" +
                   (item.type == ArgItem::Type::bind_url ? ", its host an IP address or localhost" : "");
        }
        case ArgItem::Type::empty: return "an empty argument";
        case ArgItem::Type::choice: {
            std::string out = "one of ";
            for (size_t i = 0; i < item.choices.size(); ++i)
                out += (i ? ", " : "") + (item.choices[i].empty() ? std::string("''") : item.choices[i]);
            return out;
        }
        case ArgItem::Type::group: return "a group";
    }
    return "an argument";
}

bool atom_fits(const ArgItem& item, std::string_view a, bool case_sensitive) {
    switch (item.type) {
        case ArgItem::Type::any: return true;
        case ArgItem::Type::word: return !a.empty();
        case ArgItem::Type::basename: return !a.empty() && a.find_first_of("/\\") == std::string_view::npos;
        case ArgItem::Type::integer: {
            long double n = 0;
            return is_integer_text(a, n) && (!item.min || n >= *item.min) && (!item.max || n <= *item.max);
        }
        case ArgItem::Type::decimal: {
            auto n = parse_number(a);
            return n && (!item.min || *n >= *item.min) && (!item.max || *n <= *item.max);
        }
        case ArgItem::Type::size: return is_size_text(a);
        case ArgItem::Type::go_duration: return is_go_duration(a);
        case ArgItem::Type::pair: return std::count(a.begin(), a.end(), '=') == 1;
        case ArgItem::Type::url:
        case ArgItem::Type::bind_url: return is_url_text(a, item);
        case ArgItem::Type::empty: return a.empty();
        case ArgItem::Type::choice:
            return std::any_of(item.choices.begin(), item.choices.end(), [&](const std::string& c) {
                return case_sensitive ? c == a : to_lower(c) == to_lower(a);
            });
        case ArgItem::Type::group: return false;
    }
    return false;
}

// A backtracking matcher; `far` keeps the furthest argument some path could not take and what
// that path wanted there, for the reason.
struct Matcher {
    const std::vector<std::string>& args;
    bool case_sensitive = false;
    size_t far = 0;
    const ArgItem* wanted = nullptr;

    void miss(size_t pos, const ArgItem* item) {
        if (pos > far || !wanted) {
            far = pos;
            wanted = item;
        }
    }

    // Whether items[i..] can take args[pos..] and then `rest` the remainder.
    using Rest = std::function<bool(size_t)>;

    bool seq(const std::vector<ArgItem>& items, size_t i, size_t pos, const Rest& rest) {
        if (i == items.size()) return rest(pos);
        const ArgItem& item = items[i];
        Rest next = [&](size_t p) { return seq(items, i + 1, p, rest); };
        if (item.repeat == 0) return one(item, pos, next);
        // `+` needs one first; then as many as fit (greedy, with backtracking).
        std::function<bool(size_t, int)> more = [&](size_t p, int count) -> bool {
            if (one(item, p, Rest([&](size_t q) { return q > p && more(q, count + 1); }))) return true;
            if (item.repeat == '+' && count == 0) return false;
            return next(p);
        };
        return more(pos, 0);
    }

    bool one(const ArgItem& item, size_t pos, const Rest& rest) {
        if (item.type == ArgItem::Type::group) return seq(item.group, 0, pos, rest);
        if (pos >= args.size() || !atom_fits(item, args[pos], case_sensitive)) {
            miss(pos, &item);
            return false;
        }
        return rest(pos + 1);
    }
};

bool can_take_several(const std::vector<ArgItem>& items) {
    int count = 0;
    for (const auto& item : items) {
        if (item.repeat) return true;
        count += item.type == ArgItem::Type::group ? (can_take_several(item.group) ? 2 : static_cast<int>(item.group.size()))
                                                   : 1;
    }
    return count > 1;
}

}  // namespace

bool ArgGrammar::several() const { return can_take_several(items); }

Expected<ArgGrammar> parse_arg_grammar(std::string_view text) {
    std::vector<std::string> words;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) words.push_back(std::move(cur));
        cur.clear();
    };
    for (char c : text) {
        if (is_blank(c)) {
            flush();
        } else if (c == '(' || c == ')') {
            flush();
            words.emplace_back(1, c);
        } else if ((c == '*' || c == '+') && cur.empty() && !words.empty() && words.back() == ")") {
            words.emplace_back(1, c);
        } else {
            cur += c;
        }
    }
    flush();
    if (words.empty()) return fail("an argument grammar needs at least one item");
    size_t at = 0;
    auto items = parse_items(words, at, false);
    if (!items) return std::unexpected(items.error());
    return ArgGrammar{std::move(*items), std::string(trim(text))};
}

std::optional<std::vector<std::string>> split_arguments(std::string_view v) {
    std::vector<std::string> out;
    size_t i = 0;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    for (;;) {
        while (i < v.size() && is_blank(v[i])) ++i;
        if (i >= v.size()) return out;
        std::string cur;
        bool in_double = false, in_single = false;
        for (;;) {
            if (in_double) {
                if (i >= v.size()) return std::nullopt;
                if (v[i] == '\\' && i + 3 < v.size() && v[i + 1] == 'x' && hex(v[i + 2]) >= 0 && hex(v[i + 3]) >= 0) {
                    cur += static_cast<char>(hex(v[i + 2]) * 16 + hex(v[i + 3]));
                    i += 3;
                } else if (v[i] == '\\' && i + 1 < v.size()) {
                    char c = v[++i];
                    cur += c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c == 'b' ? '\b' : c == 'a' ? '\a' : c;
                } else if (v[i] == '"') {
                    // The closing quote must be followed by a blank or the end.
                    if (i + 1 < v.size() && !is_blank(v[i + 1])) return std::nullopt;
                    ++i;
                    break;
                } else {
                    cur += v[i];
                }
            } else if (in_single) {
                if (i >= v.size()) return std::nullopt;
                if (v[i] == '\\' && i + 1 < v.size() && v[i + 1] == '\'') {
                    cur += '\'';
                    ++i;
                } else if (v[i] == '\'') {
                    if (i + 1 < v.size() && !is_blank(v[i + 1])) return std::nullopt;
                    ++i;
                    break;
                } else {
                    cur += v[i];
                }
            } else {
                if (i >= v.size() || is_blank(v[i])) break;
                if (v[i] == '"') in_double = true;
                else if (v[i] == '\'') in_single = true;
                else cur += v[i];
            }
            ++i;
        }
        out.push_back(std::move(cur));
    }
}

std::vector<std::string> split_fields(std::string_view value) {
    std::vector<std::string> out;
    for (size_t at = 0;;) {
        size_t comma = value.find(',', at);
        out.emplace_back(value.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
        if (comma == std::string_view::npos) return out;
        at = comma + 1;
    }
}

std::optional<std::string> arguments_problem(const std::vector<std::string>& args, const ArgGrammar& grammar,
                                             bool case_sensitive) {
    Matcher m{args, case_sensitive};
    if (m.seq(grammar.items, 0, 0, Matcher::Rest([&](size_t pos) {
            if (pos == args.size()) return true;
            m.miss(pos, nullptr);  // arguments left over
            return false;
        })))
        return std::nullopt;
    if (m.far >= args.size() && m.wanted)
        return rules_detail::format("{} argument(s) are too few: it takes `{}`", args.size(), grammar.text);
    if (!m.wanted)
        return rules_detail::format("{} argument(s) are too many: it takes `{}`", args.size(), grammar.text);
    return rules_detail::format("argument {} ('{}') is not {}: it takes `{}`", m.far + 1, args[m.far],
                                describe(*m.wanted), grammar.text);
}

}  // namespace ciri
