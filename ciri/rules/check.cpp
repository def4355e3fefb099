#include "ciri/rules/check.hpp"

#include "ciri/rules/embedded_tables.hpp"

#include <algorithm>
#include <cmath>
#include "ciri/rules/format.hpp"
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <nlohmann/json.hpp>

#include "ciri/rules/infer.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

std::string_view kind_noun(ValueKind kind) {
    switch (kind) {
        case ValueKind::duration: return "a duration";
        case ValueKind::size: return "a size";
        case ValueKind::integer: return "an integer";
        default: return "a number";
    }
}

bool has_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `word` as a whole word in `text`, at or after `from`; npos when absent.
size_t find_word(std::string_view text, std::string_view word, size_t from = 0) {
    for (size_t p = text.find(word, from); p != std::string_view::npos; p = text.find(word, p + 1)) {
        bool left = p == 0 || !is_word_char(text[p - 1]);
        bool right = p + word.size() >= text.size() || !is_word_char(text[p + word.size()]);
        if (left && right) return p;
    }
    return std::string_view::npos;
}

// A lower-cased description that speaks of true/false settings (not "false positives").
bool mentions_boolean(std::string_view desc) {
    for (std::string_view w : {"true", "false"}) {
        for (size_t p = find_word(desc, w); p != std::string_view::npos; p = find_word(desc, w, p + 1)) {
            std::string_view after = desc.substr(p + w.size());
            if (!after.starts_with(" positive") && !after.starts_with(" negative")) return true;
        }
    }
    return false;
}

// Checks for numbers whose spelling varies by system: only what no system would accept.
std::optional<ValueProblem> lenient_check(std::string_view item, const Expectation& e,
                                          std::string_view description) {
    ValueKind kind = e.rule.kind;
    std::string low = to_lower(item);
    // Unless the description speaks of true/false (a switch with a numeric-sounding name).
    std::string desc = to_lower(description);
    bool switch_like = mentions_boolean(desc);
    if ((low == "true" || low == "false") && !switch_like)
        return ValueProblem{rules_detail::format("'{}' is not {}: it is a boolean", item, kind_noun(kind)), 1.0, "Data Type"};
    if (parse_number(item)) {
        // numbers are judged below
    } else if (auto q = split_quantity(item)) {
        bool known = kind == ValueKind::duration ? is_duration_unit(q->unit)
                     : kind == ValueKind::size   ? is_size_unit(q->unit)
                                                 : is_duration_unit(q->unit) || is_size_unit(q->unit);
        if (!known) {
            std::string units = kind == ValueKind::duration ? std::string(duration_units_text())
                                : kind == ValueKind::size   ? std::string(size_units_text())
                                                            : "time or size units";
            return ValueProblem{rules_detail::format("'{}' is not {}: '{}' is not a unit; valid units are {}", item,
                                            kind_noun(kind), q->unit, units),
                                1.0, "Data Type"};
        }
        return std::nullopt;
    }
    if (!has_digit(item)) {
        bool punct = std::any_of(item.begin(), item.end(), [](char c) {
            return !std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ' ';
        });
        if (punct) return ValueProblem{rules_detail::format("'{}' is not {}", item, kind_noun(kind)), 0.8, "Data Type"};
        return std::nullopt;
    }
    auto n = parse_number(item);
    if (!n) return std::nullopt;
    bool negatives_documented = desc.find("negative") != std::string::npos;
    if (*n < 0 && *n != std::floor(*n) && kind != ValueKind::number)
        return ValueProblem{rules_detail::format("'{}' is not {}: it is negative and not whole", item, kind_noun(kind)), 0.9,
                            "Data Type"};
    // Small negatives (-1, -2) are common sentinels for "no limit" or "use the default".
    if (*n < -2 && !negatives_documented && e.quantity)
        return ValueProblem{rules_detail::format("'{}' is negative: {} here cannot be below 0 (only -1 or -2 are used "
                                        "to mean 'no limit' or 'default')",
                                        item, kind_noun(kind)),
                            0.8, "Basic Numeric"};
    if (e.count_like && *n > 2147483647.0L)
        return ValueProblem{rules_detail::format("'{}' does not fit a 32-bit integer (at most 2147483647)", item), 0.8,
                            "Basic Numeric"};
    bool special = std::any_of(e.rule.special.begin(), e.rule.special.end(),
                               [&](double v) { return std::fabs(static_cast<long double>(v) - *n) < 1e-9L; });
    if (e.rule.min && *n < *e.rule.min && !special)
        return ValueProblem{rules_detail::format("'{}' is below the minimum {}", item, *e.rule.min), 0.9, "Basic Numeric"};
    return std::nullopt;
}

std::optional<ValueProblem> check_with(const Parameter& p, const Expectation& e, std::string_view format) {
    if (!e.lenient) {
        auto problem = check_value(p.value, e.rule, format);
        if (problem || !e.quantity) return problem;
    }
    std::string raw(trim(p.value));
    std::string v = unquote(raw);
    if (trim(v).empty() || is_unjudgeable(v)) return std::nullopt;
    bool literal_list = raw.size() >= 2 && raw.front() == '[' && raw.back() == ']';
    std::vector<std::string> items = (e.rule.list || literal_list) ? split_list(literal_list ? raw : v)
                                                                   : std::vector<std::string>{std::string(trim(v))};
    for (const auto& item : items) {
        if (is_unjudgeable(item)) continue;
        if (auto problem = lenient_check(item, e, p.description)) return problem;
    }
    return std::nullopt;
}

std::string category_of(std::string_view subcategory, std::string_view reason) {
    if (subcategory == "Data Type" || subcategory == "Path" || subcategory == "URL") return "Syntax";
    if (subcategory == "Basic Numeric" || subcategory == "Bool" || subcategory == "Enum") return "Range";
    if (subcategory == "Control" || subcategory == "Value Relationship") return "Dependency";
    if (subcategory == "Parameter Change") return "Version";
    // Port, IP Address, Permission: out of range when the shape is right.
    bool range = reason.find("range") != std::string_view::npos || reason.find("0-255") != std::string_view::npos ||
                 reason.find("digit must be 0-7") != std::string_view::npos;
    return range ? "Range" : "Syntax";
}

bool truthy(std::string_view value) {
    std::string v = to_lower(unquote(value));
    return !(v.empty() || v == "false" || v == "0" || v == "off" || v == "no" || v == "none" || v == "null");
}

// Whether a setting is on; in formats with bare flags (`--fp16`) an empty value is a flag set.
bool is_on(std::string_view value, bool flags) { return truthy(value) || (flags && trim(value).empty()); }

// Whether a setting is given at all: any value but an explicit off (`--mem=0` is given).
bool is_given(std::string_view value, bool flags) {
    std::string v = to_lower(unquote(value));
    if (v.empty()) return flags;
    return !(v == "false" || v == "off" || v == "no" || v == "none" || v == "null");
}

// Equality of two values as a config means them: booleans by meaning, the rest case-insensitively.
bool same_value(std::string_view a, std::string_view b) {
    std::string x = to_lower(unquote(a)), y = to_lower(unquote(b));
    if (x == y) return true;
    if (is_bool_spelling(x) && is_bool_spelling(y) && !parse_number(x) && !parse_number(y))
        return truthy(x) == truthy(y);
    auto nx = parse_number(x), ny = parse_number(y);
    return nx && ny && *nx == *ny;
}

// Whether `value` of `name` is `want`; for a list row (`enum[]`, `string[]`) whether one of its
// items is (`PrologFlags=Contain,X11` has Contain; a list written with spaces, as Transformers'
// `fsdp: full_shard auto_wrap`, has full_shard).
bool has_value(const SpecSet& spec, std::string_view name, std::string_view value, std::string_view want) {
    if (same_value(value, want)) return true;
    const ParamSpec* row = spec.find(name);
    if (!row || !row->rule.list) return false;
    std::vector<std::string> items = split_list(value);
    if (items.size() == 1) {
        std::istringstream words(items[0]);
        items.clear();
        for (std::string w; words >> w;) items.push_back(w);
    }
    for (const auto& item : items)
        if (same_value(item, want)) return true;
    return false;
}

std::vector<int> version_parts(std::string_view v) {
    std::vector<int> out;
    int cur = -1;
    for (char c : v) {
        if (std::isdigit(static_cast<unsigned char>(c))) cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
        else if (c == '.') out.push_back(std::max(cur, 0)), cur = -1;
        else break;
    }
    if (cur >= 0) out.push_back(cur);
    return out;
}

int compare_versions(std::string_view a, std::string_view b) {
    auto x = version_parts(a), y = version_parts(b);
    size_t n = std::max(x.size(), y.size());
    x.resize(n), y.resize(n);
    return x < y ? -1 : (x > y ? 1 : 0);
}

// Values of a file by key (the first occurrence wins, as most systems read it).
using Values = std::map<std::string, const Parameter*>;

struct Evaluator {
    const Values& values;
    const SpecSet& spec;
    const std::vector<std::string>& tokens;
    const Facts* facts = nullptr;
    size_t pos = 0;
    bool used_default = false;
    std::string missing;  ///< a `context.` fact the expression needs and was not given

    std::optional<long double> expr() {
        auto left = term();
        while (left && pos < tokens.size() && (tokens[pos] == "+" || tokens[pos] == "-")) {
            char op = tokens[pos++][0];
            auto right = term();
            if (!right) return std::nullopt;
            left = op == '+' ? *left + *right : *left - *right;
        }
        return left;
    }
    std::optional<long double> term() {
        auto left = factor();
        while (left && pos < tokens.size() && (tokens[pos] == "*" || tokens[pos] == "/" || tokens[pos] == "%")) {
            char op = tokens[pos++][0];
            auto right = factor();
            if (!right) return std::nullopt;
            if (op == '*') left = *left * *right;
            else if (*right == 0) return std::nullopt;
            else if (op == '/') left = *left / *right;
            else left = std::fmod(*left, *right);
        }
        return left;
    }
    std::optional<long double> factor() {
        if (pos >= tokens.size()) return std::nullopt;
        const std::string& t = tokens[pos++];
        if (t == "(") {
            auto v = expr();
            if (pos >= tokens.size() || tokens[pos] != ")") return std::nullopt;
            ++pos;
            return v;
        }
        if (t == "-") {
            auto v = factor();
            return v ? std::optional<long double>(-*v) : std::nullopt;
        }
        if (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '.') return constraint_number(t, nullptr);
        if (t.starts_with("context.")) {
            auto v = facts ? facts->get(std::string_view(t).substr(8)) : std::nullopt;
            if (!v) missing = t.substr(8);
            return v ? constraint_number(*v, nullptr) : std::nullopt;
        }
        const ParamSpec* row = spec.find(t);
        if (auto it = values.find(t); it != values.end()) return constraint_number(it->second->value, row);
        if (row && !row->default_value.empty()) {
            used_default = true;
            return constraint_number(row->default_value, row);
        }
        return std::nullopt;
    }
};

bool holds(long double a, std::string_view op, long double b) {
    const long double eps = 1e-9L * std::max<long double>(1, std::max(std::fabs(a), std::fabs(b)));
    if (op == "<=") return a <= b + eps;
    if (op == "<") return a < b - eps;
    if (op == ">=") return a >= b - eps;
    if (op == ">") return a > b + eps;
    if (op == "==") return std::fabs(a - b) <= eps;
    if (op == "!=") return std::fabs(a - b) > eps;
    return true;
}

std::string join_tokens(const std::vector<std::string>& tokens) {
    std::string out;
    for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
    return out;
}

// Both values as one kind of quantity (plain numbers, durations or sizes), or nullopt.
std::optional<std::pair<long double, long double>> comparable(std::string_view a, std::string_view b) {
    std::string x = unquote(a), y = unquote(b);
    if (is_unjudgeable(x) || is_unjudgeable(y)) return std::nullopt;
    auto nx = parse_number(x), ny = parse_number(y);
    if (nx && ny) return std::pair{*nx, *ny};
    auto dx = duration_ms(x), dy = duration_ms(y);
    if (dx && dy && (split_quantity(x) && split_quantity(y))) return std::pair{*dx, *dy};
    auto sx = size_bytes(x), sy = size_bytes(y);
    if (sx && sy && (split_quantity(x) && split_quantity(y))) return std::pair{*sx, *sy};
    return std::nullopt;
}

// Phrases of descriptions that bound a value by another parameter's, and the operator.
const std::vector<std::pair<std::string_view, std::string_view>> kRelationPhrases = {
    {"smaller than or equal to", "<="}, {"smaller or equal to", "<="},   {"less than or equal to", "<="},
    {"must not be larger than", "<="},  {"must not be greater than", "<="}, {"should not be larger than", "<="},
    {"should not be greater than", "<="}, {"must not exceed", "<="},    {"should not exceed", "<="},
    {"cannot exceed", "<="},            {"larger than or equal to", ">="}, {"greater than or equal to", ">="},
    {"larger or equal to", ">="},       {"greater or equal to", ">="},   {"must not be smaller than", ">="},
    {"must not be less than", ">="},    {"should be smaller than", "<"},  {"must be smaller than", "<"},
    {"should be less than", "<"},       {"must be less than", "<"},      {"should be larger than", ">"},
    {"must be larger than", ">"},       {"should be greater than", ">"}, {"must be greater than", ">"},
};
const std::map<std::string_view, std::string_view> kRelationWords = {
    {"<=", "must not be larger than"}, {"<", "must be smaller than"},
    {">=", "must not be smaller than"}, {">", "must be larger than"}};

// Whether a constraint's `if`/`unless` conditions let it apply to these values.
bool condition_holds(const Constraint& c, const Values& values, bool flags, const Facts* facts,
                     std::string_view version) {
    for (const Condition& cond : c.when) {
        // The value a condition names: a fact, the file's version, or a parameter of the file.
        auto value_of = [&](const std::string& name) -> std::optional<std::string> {
            if (name.starts_with("context.")) return facts ? facts->get(std::string_view(name).substr(8)) : std::nullopt;
            if (name == "version") return version.empty() ? std::nullopt : std::optional<std::string>(version);
            if (auto it = values.find(name); it != values.end()) return it->second->value;
            return std::nullopt;
        };
        bool set = false;
        size_t start = 0;
        while (start <= cond.param.size() && !set) {
            size_t comma = std::min(cond.param.find(',', start), cond.param.size());
            std::string name(trim(std::string_view(cond.param).substr(start, comma - start)));
            start = comma + 1;
            if (name.ends_with(".*")) {
                std::string prefix = name.substr(0, name.size() - 1);
                auto it = values.lower_bound(prefix);
                set = it != values.end() && it->first.starts_with(prefix);
                continue;
            }
            auto v = value_of(name);
            if (!v) continue;
            if (cond.op.empty()) {
                set = is_on(*v, flags);
            } else if (cond.op == "=") {
                set = same_value(*v, cond.value);
            } else if (name == "version") {
                int cmp = compare_versions(*v, cond.value);
                set = holds(cmp, cond.op, 0);
            } else if (auto n = constraint_number(*v, nullptr)) {
                set = holds(*n, cond.op, *parse_number(cond.value));
            }
        }
        if (cond.negated ? set : !set) return false;
    }
    return true;
}

// For a constraint naming `*.suffix` keys: the file's values once per object holding one of
// them (keys sharing the prefix before the suffix), with the `*.` names bound in that object.
// Empty when the constraint names no such key.
std::vector<Values> scoped_values(const Constraint& c, const ConfigFile& file, const Values& values) {
    // Most constraints name no `*.` key: every name they can hold is looked at without
    // building params() (this ran for every constraint of every file).
    auto scoped = [](const std::string& s) { return s.starts_with("*."); };
    if (std::ranges::none_of(c.lhs, scoped) && std::ranges::none_of(c.rhs, scoped) && !scoped(c.cond_param) &&
        !scoped(c.need_param) && !scoped(c.owner) &&
        std::ranges::none_of(c.when, [&](const Condition& w) { return scoped(w.param); }))
        return {};
    std::vector<std::string> suffixes;
    for (const auto& name : c.params())
        if (name.starts_with("*.")) suffixes.push_back(name.substr(1));
    for (const Condition& cond : c.when)
        if (cond.param.starts_with("*.")) suffixes.push_back(cond.param.substr(1));
    std::vector<Values> out;
    if (suffixes.empty()) return out;
    std::vector<std::string> prefixes;
    for (const auto& p : file.params)
        for (const auto& suffix : suffixes) {
            std::string_view k = p.key;
            std::string pre;
            if (k.ends_with(suffix)) pre = std::string(k.substr(0, k.size() - suffix.size()));
            else if (k == std::string_view(suffix).substr(1)) pre = "";
            else continue;
            if (std::find(prefixes.begin(), prefixes.end(), pre) == prefixes.end()) prefixes.push_back(pre);
        }
    for (const auto& pre : prefixes) {
        Values scope = values;
        for (const auto& suffix : suffixes) {
            std::string key = pre.empty() ? suffix.substr(1) : pre + suffix;
            scope.erase("*" + suffix);
            if (auto it = values.find(key); it != values.end()) scope["*" + suffix] = it->second;
        }
        out.push_back(std::move(scope));
    }
    return out;
}

// Where the facts a failed constraint used come from, when another file of the job stated
// them: " (world_size from train.sbatch:4 (nodes) x ...)"; "" for facts given on the command line.
std::string fact_sources(const Constraint& c, const Facts* facts) {
    if (!facts) return "";
    std::string out;
    std::vector<std::string> names;
    for (const auto* side : {&c.lhs, &c.rhs})
        for (const auto& t : *side)
            if (t.starts_with("context.")) names.push_back(t.substr(8));
    if (c.need_param.starts_with("context.")) names.push_back(c.need_param.substr(8));
    for (const auto& n : names)
        if (auto it = facts->sources.find(n); it != facts->sources.end())
            out += (out.empty() ? " (" : "; ") + n + " from " + it->second;
    return out.empty() ? out : out + ")";
}

// Damerau-Levenshtein distance, capped: enough to tell one slip from a different word.
int edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The row `key` (which the table lacks) is one slip away from, or "" (keys under 6 letters
// are too short to tell a slip from another word). A slip that only changes a digit
// (`stage2` for `stage3`) names another real setting, so it is not one.
std::string slip_of(std::string_view raw_key, const SpecSet& spec) {
    std::string key = to_lower(strip_indices(raw_key));
    if (key.size() < 6) return "";
    std::string near;
    for (const auto& [name, row] : spec.params) {
        if (name.starts_with("*.") || name == "*") continue;
        std::string n = to_lower(name);
        if (n.size() + 2 < key.size() || key.size() + 2 < n.size()) continue;
        if (edit_distance(key, n) != 1) continue;
        bool digit_only = n.size() == key.size() &&
                          std::equal(n.begin(), n.end(), key.begin(), [](char x, char y) {
                              return x == y || (std::isdigit(static_cast<unsigned char>(x)) &&
                                                std::isdigit(static_cast<unsigned char>(y)));
                          });
        if (!digit_only) near = name;
    }
    return near;
}

// Keys the table lacks that are one slip away from a row's name: the system would ignore
// them (or stop), and the setting meant is not applied.
template <typename Add>
void check_typos(const ConfigFile& file, const SpecSet& spec, Add& add) {
    const bool refused = spec.has(Constraint::Kind::unknown_refused);
    for (const auto& p : file.params) {
        if (spec.find(p.key)) continue;
        std::string near = slip_of(p.key, spec);
        if (near.empty()) continue;
        add(p, rules_detail::format("'{}' is not a setting of {}: did you mean '{}'? {}", p.key,
                                    spec.system.empty() ? std::string("this system") : spec.system, near,
                                    refused ? "It refuses to start on a key it does not know"
                                            : "A misspelled key is ignored, so the setting you meant is not applied"),
            0.9, "Parameter Name", "spec");
    }
}

// Keys the table lacks where the system refuses them (`unknown_refused`): Redis stops on a
// directive it does not know. Slips the typo check names are left to it; keys with a `.` are
// module settings a loaded module may own; a file of a later version than the table's may
// hold keys the table has not seen.
template <typename Add>
void check_unknown(const ConfigFile& file, const SpecSet& spec, const Constraint& c, Add& add) {
    if (!file.version.empty()) {
        auto line = [](std::string_view v) {
            auto parts = version_parts(v);
            parts.resize(2, 0);
            return parts;
        };
        if (line(file.version) > line(c.version)) return;
    }
    const bool typos = spec.has(Constraint::Kind::typos);
    const std::string system = spec.system.empty() ? std::string("this system") : spec.system;
    for (const auto& p : file.params) {
        if (spec.find(p.key) || p.key.find('.') != std::string::npos) continue;
        if (typos && !slip_of(p.key, spec).empty()) continue;
        add(p, rules_detail::format("'{}' is not a setting of {} {}: it refuses to start on a key it does not know (if "
                                    "you run a later version, say so: --sys-version X)",
                                    p.key, system, c.version),
            0.9, "Parameter Name", "spec");
    }
}

// What a bool, number, duration, size or port row needs, said to a person; "" for other kinds.
std::string_view typed_value(ValueKind kind) {
    switch (kind) {
        case ValueKind::boolean: return "a boolean";
        case ValueKind::integer:
        case ValueKind::number:
        case ValueKind::port: return "a number";
        case ValueKind::duration: return "a duration";
        case ValueKind::size: return "a size";
        default: return "";
    }
}

// The row lists `''` among its values: the system takes an empty value there.
bool lists_empty(const ParamSpec& row) {
    const auto& listed = row.rule.enum_values;
    return std::find(listed.begin(), listed.end(), "''") != listed.end();
}

// Empty values of typed parameters, in a system that refuses them (`empty_refused`): PostgreSQL
// stops on `work_mem = ''` ("invalid value") as on `work_mem =` (a syntax error). A string
// parameter may be empty, and so may a row that lists `''` among its values (Redis reads an
// empty memory value as 0).
template <typename Add>
void check_empty(const ConfigFile& file, const SpecSet& spec, Add& add) {
    for (const auto& p : file.params) {
        if (!trim(unquote(trim(p.value))).empty()) continue;
        const ParamSpec* row = spec.find(p.key);
        if (!row) continue;
        if (lists_empty(*row)) continue;
        std::string_view what = typed_value(row->rule.kind);
        if (row->rule.kind == ValueKind::enumeration) what = "one of its values";
        if (what.empty()) continue;
        add(p, rules_detail::format("'{}' is empty: {} refuses an empty value here, it needs {}", p.key,
                                    spec.system.empty() ? std::string("the system") : spec.system, what),
            1.0, "Data Type", "spec");
    }
}

// Quoted values of typed parameters, in a system that decodes its file into typed fields
// (`quoted_is_string`): etcd reads `snapshot-count: '100'` as a string and refuses it for a
// uint64, as it refuses `''`. A quoted `''` is an empty string, which an enumeration takes only
// when it lists `''` (an unquoted empty value is a null: the field keeps its default).
template <typename Add>
void check_quoted(const ConfigFile& file, const SpecSet& spec, Add& add) {
    const std::string sys = spec.system.empty() ? std::string("the system") : spec.system;
    for (const auto& p : file.params) {
        if (!p.quoted) continue;
        const ParamSpec* row = spec.find(p.key);
        if (!row || row->rule.list) continue;
        if (row->rule.kind == ValueKind::enumeration) {
            if (!trim(p.value).empty() || lists_empty(*row)) continue;
            std::string values;
            for (const auto& v : row->rule.enum_values) values += (values.empty() ? "" : ", ") + v;
            add(p, rules_detail::format("'{}' is an empty string: {} takes one of {}", p.key, sys, values), 1.0,
                "Data Type", "spec");
            continue;
        }
        std::string_view what = typed_value(row->rule.kind);
        if (what.empty()) continue;
        add(p, rules_detail::format("'{}' is a quoted string: {} decodes it into a typed field and refuses a string "
                                    "where it needs {}; write it without quotes",
                                    p.key, sys, what),
            1.0, "Data Type", "spec");
    }
}

// Values whose arguments (`args`) or comma fields (`fields`) fit none of their row's grammars:
// Redis refuses `save 900` and `client-output-buffer-limit master 0 0 0`, etcd an auth-token of
// an unknown type. Every occurrence is checked (Redis repeats `save` and its buffer limits).
template <typename Add>
void check_arguments(const ConfigFile& file, const SpecSet& spec, Add& add) {
    std::map<std::string, std::vector<const Constraint*>> by_owner;
    for (const auto& c : spec.constraints)
        if (c.kind == Constraint::Kind::arguments && c.grammar) by_owner[c.owner].push_back(&c);
    if (by_owner.empty()) return;
    for (const auto& p : file.params) {
        const ParamSpec* row = spec.find(p.key);
        if (!row) continue;
        auto it = by_owner.find(row->name);
        if (it == by_owner.end() || is_unjudgeable(unquote(trim(p.value)))) continue;
        std::optional<std::string> problem;
        for (const Constraint* c : it->second) {
            std::vector<std::string> args;
            if (c->fields) {
                args = split_fields(unquote(trim(p.value)));
            } else {
                auto split = split_arguments(p.value);
                if (!split) break;  // unbalanced quotes: the parser says so
                args = std::move(*split);
                // Redis splits a multi-argument directive's one non-empty argument at its blanks.
                if (c->grammar->several() && args.size() == 1 && !args[0].empty())
                    if (auto again = split_arguments(args[0])) args = std::move(*again);
            }
            problem = arguments_problem(args, *c->grammar, spec.case_sensitive);
            if (!problem) break;
        }
        if (!problem) continue;
        std::string also;
        for (size_t i = 0; i + 1 < it->second.size(); ++i) also += ", or `" + it->second[i]->grammar->text + "`";
        add(p, rules_detail::format("'{}' is '{}': {}{}", p.key, p.value, *problem, also), row->documented ? 0.9 : 1.0,
            "Data Type", "spec");
    }
}

// Keys a closed table lacks that are still its settings, put where the system does not read
// them: a value where the table has a section (`"offload_optimizer": true` where it lists
// `offload_optimizer.device`), or a known section nested under another one
// (`zero_optimization.aio.block_size` for the top-level `aio.block_size`). The system ignores
// or refuses them, so the setting meant is not applied.
template <typename Add>
void check_placement(const ConfigFile& file, const SpecSet& spec, Add& add) {
    const std::string sys = spec.system.empty() ? std::string("this system") : spec.system;
    for (const auto& p : file.params) {
        if (spec.find(p.key)) continue;
        std::string key = strip_indices(p.key);
        std::string v(trim(p.value));
        std::string prefix = key + ".";
        if (auto it = spec.params.lower_bound(prefix);
            it != spec.params.end() && it->first.starts_with(prefix) && !v.empty() && v[0] != '{' && v[0] != '[') {
            std::string fields;
            for (int n = 0; it != spec.params.end() && it->first.starts_with(prefix) && n < 3; ++it, ++n)
                fields += (fields.empty() ? "" : ", ") + it->first.substr(prefix.size());
            add(p, rules_detail::format("'{}' is a section of {} (with {}), not a single value: {} does not read '{}' "
                                        "here, so the setting is not applied",
                                        p.key, sys, fields, sys, p.value),
                0.9, "Data Type", "spec");
            continue;
        }
        // A known setting of two or more levels ending the key: the same setting, misplaced.
        for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1)) {
            std::string rest = key.substr(dot + 1);
            if (rest.find('.') == std::string::npos) break;
            if (spec.params.contains(rest)) {
                add(p, rules_detail::format("'{}' is not a setting of {}, but '{}' is: the setting is misplaced under "
                                            "'{}', where it is not read",
                                            p.key, sys, rest, key.substr(0, dot)),
                    0.9, "Parameter Name", "spec");
                break;
            }
        }
    }
}

}  // namespace

std::optional<long double> constraint_number(std::string_view value, const ParamSpec* row) {
    std::string v = unquote(value);
    if (is_unjudgeable(v)) return std::nullopt;
    if (auto n = parse_integer(v)) return n;
    if (auto n = parse_number(v)) {
        if (row && !row->unit.empty() && row->rule.kind == ValueKind::duration) return duration_ms(v, row->unit);
        if (row && !row->unit.empty() && row->rule.kind == ValueKind::size) return size_bytes(v, row->unit);
        return n;
    }
    if (is_bool_spelling(v) || v == "True" || v == "False") return truthy(v) ? 1 : 0;
    if (row && row->rule.kind == ValueKind::size) return size_bytes(v);
    if (row && row->rule.kind == ValueKind::duration) return duration_ms(v);
    if (auto d = duration_ms(v)) return d;
    return size_bytes(v);
}

std::string RulesVerdict::answer_json() const {
    nlohmann::json j;
    j["hasError"] = has_error();
    j["errParameter"] = nlohmann::json::array();
    j["reason"] = nlohmann::json::array();
    for (const auto& f : findings) {
        j["errParameter"].push_back(f.param);
        j["reason"].push_back(f.reason);
    }
    return j.dump();
}

RulesVerdict check_file(const ConfigFile& file, const SpecSet& spec, const RulesOptions& options) {
    RulesVerdict verdict;
    std::map<std::string, RuleFinding> best;
    auto add = [&](const Parameter& p, std::string reason, double confidence, std::string subcategory,
                   std::string basis) {
        if (confidence < options.min_confidence) return;
        RuleFinding f{p.key, p.value, p.line, std::move(reason), confidence, "", std::move(subcategory),
                      std::move(basis)};
        f.category = category_of(f.subcategory, f.reason);
        auto it = best.find(p.key);
        if (it == best.end() || it->second.confidence < f.confidence) best[p.key] = std::move(f);
    };

    const bool flags = file.format == "args" || file.format == "sbatch";
    Values values;
    for (const auto& p : file.params) values.emplace(p.key, &p);
    // Rows written with `[]` for list indices find the first item's value too.
    for (const auto& p : file.params) values.emplace(strip_indices(p.key), &p);

    for (const auto& p : file.params) {
        auto e = expect(p, spec, file.format);
        if (!e) continue;
        ++verdict.checked;
        if (auto problem = check_with(p, *e, file.format))
            add(p, problem->reason, e->confidence * problem->certainty, problem->subcategory, e->basis);
    }

    // A constraint the file takes part in but a fact is missing for: skipped, never guessed.
    std::vector<std::string> noted;
    auto note_missing = [&](const Constraint& c, const std::string& fact) {
        std::string key(context_key_of(fact));
        std::string note = rules_detail::format("skipped '{}': it needs the fact '{}' (give --context {}=...)", c.text,
                                                fact, key);
        if (std::find(noted.begin(), noted.end(), note) == noted.end()) noted.push_back(note);
    };
    // One constraint over one set of values (the file's, or one object's for `*.` names).
    auto run_constraint = [&](const Constraint& c, const Values& values) {
        if (!condition_holds(c, values, flags, options.facts, file.version)) return;
        double confidence = 1.0;
        std::vector<const Parameter*> involved;
        for (const auto& name : c.params())
            if (auto it = values.find(name); it != values.end()) involved.push_back(it->second);
        std::string reason;
        std::string sub = "Value Relationship";
        switch (c.kind) {
            case Constraint::Kind::compare: {
                if (involved.empty()) break;
                Evaluator l{values, spec, c.lhs, options.facts}, r{values, spec, c.rhs, options.facts};
                auto a = l.expr(), b = r.expr();
                if (std::string m = l.missing.empty() ? r.missing : l.missing; !m.empty()) {
                    note_missing(c, m);
                    break;
                }
                if (!a || !b || l.pos != c.lhs.size() || r.pos != c.rhs.size()) break;
                if (l.used_default || r.used_default) confidence = 0.8;
                if (!holds(*a, c.op, *b)) {
                    reason = rules_detail::format("'{}' must hold, but {} is {} and {} is {}", c.text, join_tokens(c.lhs),
                                         static_cast<double>(*a), join_tokens(c.rhs), static_cast<double>(*b));
                    reason += fact_sources(c, options.facts);
                }
                break;
            }
            case Constraint::Kind::requirement: {
                sub = "Control";
                auto cond = values.find(c.cond_param);
                if (cond == values.end()) break;
                // A dependency a document states ("only used when X is true") is a warning, and
                // only when the file sets X itself: a default is no operator's choice.
                const ParamSpec* owner_row = spec.find(c.owner);
                const bool stated = owner_row && owner_row->documented;
                if (stated && values.find(c.need_param) == values.end()) break;
                if (stated) {
                    // The file configures A, and its own X makes that dead: X is what defeats it.
                    confidence = 0.7;
                    involved = {values.find(c.need_param)->second};
                }
                bool active = c.cond_value.empty() ? is_on(cond->second->value, flags)
                                                   : has_value(spec, c.cond_param, cond->second->value, c.cond_value);
                if (!active) break;
                auto need = values.find(c.need_param);
                std::string have;
                if (c.need_param.starts_with("context.")) {
                    auto v = options.facts ? options.facts->get(std::string_view(c.need_param).substr(8)) : std::nullopt;
                    if (!v) {
                        note_missing(c, c.need_param.substr(8));
                        break;
                    }
                    have = *v;
                } else if (need != values.end()) {
                    have = need->second->value;
                    if (flags && trim(have).empty()) have = "true";  // a bare flag
                    // A YAML or JSON null leaves the setting unset: the program reads None.
                    if (c.need_value.empty() && (file.format == "yaml" || file.format == "json") &&
                        (to_lower(trim(have)) == "null" || trim(have) == "~")) {
                        reason = rules_detail::format("'{}' is {} but '{}' is null: '{}'", c.cond_param,
                                                      cond->second->value, c.need_param, c.text);
                        break;
                    }
                } else if (const ParamSpec* row = spec.find(c.need_param); row && !row->default_value.empty()) {
                    have = row->default_value;
                    confidence = 0.8;
                } else if (c.need_value.empty()) {
                    reason = rules_detail::format("'{}' is {} but '{}' is not set: '{}'", c.cond_param,
                                         cond->second->value, c.need_param, c.text);
                    break;
                } else {
                    break;
                }
                if (c.need_value.empty() ? !truthy(have) && have.empty() : !same_value(have, c.need_value)) {
                    if (c.need_param.starts_with("context.")) {
                        // A fact of the job: say which, and what it describes.
                        std::string fact = c.need_param.substr(8);
                        std::string what;
                        if (auto key = context_key_of(fact); key != fact && options.facts)
                            if (auto v = options.facts->get(key)) what = rules_detail::format(" ({} {})", key, *v);
                        reason = rules_detail::format("'{}' is {}, which needs {} = {}, but for this job it is {}{}",
                                                      c.cond_param, cond->second->value, fact, c.need_value, have, what);
                    } else {
                        reason = rules_detail::format("'{}' is {}, which requires '{}' to be {} (it is {})", c.cond_param,
                                                      cond->second->value, c.need_param,
                                                      c.need_value.empty() ? std::string("set") : c.need_value, have);
                    }
                    reason += fact_sources(c, options.facts);
                }
                break;
            }
            case Constraint::Kind::conflict: {
                sub = "Control";
                auto a = values.find(c.cond_param), b = values.find(c.need_param);
                if (a == values.end() || b == values.end()) break;
                if (is_given(a->second->value, flags) && is_given(b->second->value, flags))
                    reason = rules_detail::format("'{}' and '{}' cannot both be set: '{}'", c.cond_param, c.need_param, c.text);
                break;
            }
            case Constraint::Kind::removed_in:
            case Constraint::Kind::added_in: {
                sub = "Parameter Change";
                if (file.version.empty() || involved.empty()) break;
                int cmp = compare_versions(file.version, c.version);
                if (!c.value.empty()) {
                    // One value of the parameter (an item of a list) has the version bound.
                    if (!has_value(spec, c.owner, involved.front()->value, c.value)) break;
                    if (c.kind == Constraint::Kind::removed_in && cmp >= 0)
                        reason = rules_detail::format("'{}' no longer takes the value {} from version {}; this file is "
                                                      "for {}", c.owner, c.value, c.version, file.version);
                    if (c.kind == Constraint::Kind::added_in && cmp < 0)
                        reason = rules_detail::format("'{}' takes the value {} only from version {}; this file is for {}",
                                                      c.owner, c.value, c.version, file.version);
                    break;
                }
                if (c.kind == Constraint::Kind::removed_in && cmp >= 0)
                    reason = rules_detail::format("'{}' was removed in version {}; this file is for {}", c.owner, c.version,
                                         file.version);
                if (c.kind == Constraint::Kind::added_in && cmp < 0)
                    reason = rules_detail::format("'{}' only exists from version {}; this file is for {}", c.owner,
                                         c.version, file.version);
                break;
            }
            case Constraint::Kind::key_of: {
                // A's value must name a key of section B; a file without B cannot be judged.
                auto a = values.find(c.cond_param);
                if (a == values.end()) break;
                std::vector<std::string> keys;
                const std::string prefix = c.need_param + ".";
                for (const auto& p : file.params) {
                    if (!p.key.starts_with(prefix)) continue;
                    std::string k = p.key.substr(prefix.size());
                    k = k.substr(0, k.find_first_of(".["));
                    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
                }
                std::string v(trim(unquote(a->second->value)));
                if (keys.empty() || std::find(keys.begin(), keys.end(), v) != keys.end()) break;
                std::string names;
                for (const auto& k : keys) names += (names.empty() ? "" : ", ") + k;
                reason = rules_detail::format("'{}' is {}, but '{}' has no such key (it has {}): '{}'", c.cond_param, v,
                                              c.need_param, names, c.text);
                break;
            }
            case Constraint::Kind::named_in: {
                // A's value must be one of the names of B's `name=value,...` list.
                auto a = values.find(c.cond_param), b = values.find(c.need_param);
                if (b == values.end()) break;
                std::string name;
                // An unquoted empty YAML value is a null: the program keeps its default name.
                if (a != values.end() && (a->second->quoted || !trim(a->second->value).empty())) {
                    name = std::string(trim(unquote(trim(a->second->value))));
                } else if (const ParamSpec* row = spec.find(c.cond_param); row && !row->default_value.empty()) {
                    name = row->default_value;  // the program's default name
                    confidence = 0.8;
                    involved = {b->second};
                } else {
                    break;
                }
                std::string list(trim(unquote(trim(b->second->value))));
                if (list.empty() || is_unjudgeable(list) || is_unjudgeable(name)) break;
                std::vector<std::string> names;
                for (const auto& field : split_fields(list)) {
                    std::string n(trim(std::string_view(field).substr(0, field.find('='))));
                    if (!n.empty()) names.push_back(n);
                }
                if (std::find(names.begin(), names.end(), name) != names.end()) break;
                std::string listed;
                for (const auto& n : names) listed += (listed.empty() ? "" : ", ") + n;
                reason = rules_detail::format("'{}' is '{}', but '{}' names no such member (it names {}): '{}'",
                                              c.cond_param, name, c.need_param, listed, c.text);
                break;
            }
            case Constraint::Kind::typos:
            case Constraint::Kind::case_sensitive:
            case Constraint::Kind::empty_refused:
            case Constraint::Kind::units:
            case Constraint::Kind::quoted_is_string:
            case Constraint::Kind::arguments:
            case Constraint::Kind::bools_exact:
            case Constraint::Kind::unknown_refused:
                break;
        }
        if (reason.empty()) return;
        for (const Parameter* p : involved) add(*p, reason, confidence, sub, "constraint");
    };
    for (const auto& c : spec.constraints) {
        if (c.kind == Constraint::Kind::typos) {
            check_typos(file, spec, add);
            check_placement(file, spec, add);
            continue;
        }
        if (c.kind == Constraint::Kind::empty_refused) {
            check_empty(file, spec, add);
            continue;
        }
        if (c.kind == Constraint::Kind::unknown_refused) {
            check_unknown(file, spec, c, add);
            continue;
        }
        if (c.kind == Constraint::Kind::quoted_is_string) {
            check_quoted(file, spec, add);
            continue;
        }
        if (c.kind == Constraint::Kind::units) continue;  // checked with each value (ValueRule::units)
        if (c.kind == Constraint::Kind::arguments) continue;  // all rows' at once, below
        auto scopes = scoped_values(c, file, values);
        if (scopes.empty()) run_constraint(c, values);
        for (const auto& scope : scopes) run_constraint(c, scope);
    }

    check_arguments(file, spec, add);

    // Relationships a description states with another parameter of the file
    // ("Should be smaller or equal to fs.trash.interval"). The parameter named is the last one
    // of that (lowercase) key whose key differs from the describing one's; looked up in an
    // index built once, so many descriptions cost no more than many parameters.
    struct Named {
        const Parameter* last = nullptr;        // the last parameter of this lowercase key
        const Parameter* last_other = nullptr;  // the last one whose key differs from last's
    };
    std::optional<std::unordered_map<std::string, Named>> lower_index;
    auto by_lower_key = [&]() -> const std::unordered_map<std::string, Named>& {
        if (!lower_index) {
            lower_index.emplace();
            for (const auto& cand : file.params) {
                Named& n = (*lower_index)[to_lower(cand.key)];
                if (n.last && n.last->key != cand.key) n.last_other = n.last;
                n.last = &cand;
            }
        }
        return *lower_index;
    };
    for (const auto& p : file.params) {
        if (p.description.empty()) continue;
        std::string desc = to_lower(collapse_whitespace(p.description));
        for (const auto& [phrase, op] : kRelationPhrases) {
            size_t at = desc.find(phrase);
            if (at == std::string::npos) continue;
            std::string_view rest = std::string_view(desc).substr(at + phrase.size());
            while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
            if (rest.starts_with("the value of ")) rest.remove_prefix(13);
            size_t end = 0;
            while (end < rest.size() && (is_word_char(rest[end]) || rest[end] == '.' || rest[end] == '-')) ++end;
            std::string other(rest.substr(0, end));
            while (!other.empty() && other.back() == '.') other.pop_back();
            const Parameter* q = nullptr;
            if (auto named = by_lower_key().find(other); named != by_lower_key().end())
                q = named->second.last->key != p.key ? named->second.last : named->second.last_other;
            if (!q) continue;
            auto v = comparable(p.value, q->value);
            if (!v || holds(v->first, op, v->second)) continue;
            // 0 and negatives often switch a setting off rather than size it.
            if (v->first <= 0 || v->second <= 0) continue;
            std::string reason = rules_detail::format("'{}' ({}) {} '{}' ({}), as its description says", p.key, p.value,
                                                      kRelationWords.at(op), q->key, q->value);
            add(p, reason, 0.7, "Value Relationship", "description");
            add(*q, reason, 0.7, "Value Relationship", "description");
            break;
        }
    }

    // A minimum above its maximum, between two keys that differ only in min/max: each key's
    // partners are found by swapping one min/minimum/lower token for its opposite and looking
    // the result up, so the cost follows the parameters, not their pairs. Among repeats of one
    // key only the first kMaxPartners are paired: more say nothing new and would cost n^2.
    constexpr size_t kMaxPartners = 8;
    auto joined = [](const std::vector<std::string>& t) {
        std::string out;
        for (const auto& s : t) out.append(s).push_back('\x1f');
        return out;
    };
    std::vector<std::vector<std::string>> tokens;
    std::unordered_map<std::string, std::vector<size_t>> by_tokens;
    for (size_t i = 0; i < file.params.size(); ++i) {
        tokens.push_back(name_tokens(file.params[i].key));
        auto& same = by_tokens[joined(tokens.back())];
        if (same.size() < kMaxPartners) same.push_back(i);
    }
    static const std::pair<std::string_view, std::string_view> kOpposites[] = {
        {"min", "max"}, {"minimum", "maximum"}, {"lower", "upper"}};
    std::vector<std::pair<size_t, size_t>> pairs;  // (lo, hi), checked in file order below
    for (size_t i = 0; i < file.params.size(); ++i) {
        for (size_t k = 0; k < tokens[i].size(); ++k)
            for (const auto& [low, high] : kOpposites) {
                if (tokens[i][k] != low) continue;
                std::vector<std::string> partner = tokens[i];
                partner[k] = high;
                if (auto it = by_tokens.find(joined(partner)); it != by_tokens.end())
                    for (size_t j : it->second) pairs.emplace_back(i, j);
            }
    }
    std::sort(pairs.begin(), pairs.end());
    for (auto [i, j] : pairs) {
        const Parameter& lo = file.params[i];
        const Parameter& hi = file.params[j];
        auto v = comparable(lo.value, hi.value);
        if (!v || v->first <= v->second) continue;
        // -1 and 0 often mean "no limit".
        if (v->second <= 0) continue;
        std::string reason = rules_detail::format("'{}' ({}) is larger than '{}' ({}): a minimum cannot exceed its maximum",
                                                  lo.key, lo.value, hi.key, hi.value);
        add(lo, reason, 0.8, "Value Relationship", "pair");
        add(hi, reason, 0.8, "Value Relationship", "pair");
    }

    // A pod's `env:` list holds NCCL's settings as name/value pairs (embedded_tables.hpp).
    for (const auto& f : check_env_lists(file, spec, options))
        if (auto it = values.find(f.param); it != values.end()) add(*it->second, f.reason, f.confidence, f.subcategory, f.basis);

    verdict.notes = std::move(noted);
    for (const auto& p : file.params) {
        auto it = best.find(p.key);
        if (it == best.end()) continue;
        verdict.findings.push_back(std::move(it->second));
        best.erase(it);
    }
    return verdict;
}

std::vector<std::string> decisive_params(const RulesVerdict& verdict, const RulesVoterConfig& config) {
    std::vector<std::string> out;
    if (!config.decisive) return out;
    for (const auto& f : verdict.findings)
        if (f.confidence >= config.decisive_confidence - 1e-9) out.push_back(f.param);
    return out;
}

}  // namespace ciri
