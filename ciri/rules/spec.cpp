#include "ciri/rules/spec.hpp"

#include "ciri/rules/embedded_tables.hpp"
#include "parsers/reader.hpp"
#include "base/data_dir.hpp"

#include <algorithm>
#include <cctype>
#include "ciri/rules/format.hpp"
#include <fstream>
#include <sstream>

#include "parsers/text.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kHeader = "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint";
// The optional columns after the eighth; written only when some row uses them.
constexpr std::string_view kExtraHeader = "\tsince\tuntil\trestart\torigin";
constexpr size_t kColumns = 12;
constexpr std::string_view kOperators[] = {"<=", ">=", "==", "!=", "<", ">"};

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
}

// Tokens of an expression: names, numbers (with an optional unit), operators, parentheses.
Expected<std::vector<std::string>> tokenize(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            ++i;
        } else if (c == '`') {
            size_t j = s.find('`', i + 1);
            if (j == std::string_view::npos || j == i + 1) return fail("unclosed or empty `name` in constraint");
            out.emplace_back(s.substr(i + 1, j - i - 1));
            i = j + 1;
        } else if (is_name_start(c)) {
            size_t j = i;
            while (j < s.size() && is_name_char(s[j])) ++j;
            out.emplace_back(s.substr(i, j - i));
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < s.size())) {
            size_t j = i;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
            out.emplace_back(s.substr(i, j - i));
            i = j;
        } else if (std::string_view("*/%+-()").find(c) != std::string_view::npos) {
            out.emplace_back(1, c);
            ++i;
        } else {
            bool matched = false;
            for (auto op : kOperators) {
                if (s.substr(i).starts_with(op)) {
                    out.emplace_back(op);
                    i += op.size();
                    matched = true;
                    break;
                }
            }
            if (!matched) return fail(rules_detail::format("unexpected '{}' in constraint", c));
        }
    }
    return out;
}

bool is_param_token(const std::string& t) {
    return !t.empty() && (is_name_start(t[0]) || (t.size() > 2 && t[0] == '*' && t[1] == '.'));
}

}  // namespace

std::string strip_indices(std::string_view key) {
    std::string out;
    for (size_t i = 0; i < key.size(); ++i) {
        out += key[i];
        if (key[i] != '[') continue;
        size_t j = i + 1;
        while (j < key.size() && std::isdigit(static_cast<unsigned char>(key[j]))) ++j;
        if (j > i + 1 && j < key.size() && key[j] == ']') i = j - 1;
    }
    return out;
}

namespace {

std::vector<std::string> split_on(std::string_view s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == sep) {
            out.emplace_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

Expected<std::optional<double>> parse_bound(std::string_view field, int line) {
    field = trim(field);
    if (field.empty()) return std::optional<double>{};
    auto n = parse_number(field);
    if (!n) return std::unexpected(Error{rules_detail::format("'{}' is not a number", field), line, {}});
    return std::optional<double>(static_cast<double>(*n));
}

std::string fmt_bound(const std::optional<double>& v) {
    if (!v) return {};
    if (*v == static_cast<double>(static_cast<long long>(*v))) return rules_detail::format("{}", static_cast<long long>(*v));
    return rules_detail::format("{}", *v);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
    return out;
}

}  // namespace

std::vector<std::string> Constraint::params() const {
    std::vector<std::string> out;
    auto add = [&](const std::string& p) {
        if (!p.empty() && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    switch (kind) {
        case Kind::compare:
            for (const auto& t : lhs)
                if (is_param_token(t)) add(t);
            for (const auto& t : rhs)
                if (is_param_token(t)) add(t);
            break;
        case Kind::requirement:
        case Kind::conflict:
        case Kind::key_of:
        case Kind::named_in:
            add(cond_param);
            add(need_param);
            break;
        case Kind::removed_in:
        case Kind::added_in:
        case Kind::arguments:
            add(owner);
            break;
        case Kind::typos:
        case Kind::case_sensitive:
        case Kind::empty_refused:
        case Kind::units:
        case Kind::quoted_is_string:
        case Kind::bools_exact:
        case Kind::unknown_refused:
            break;
    }
    return out;
}

Expected<Constraint> parse_constraint(std::string_view text, std::string_view owner) {
    Constraint c;
    c.text = std::string(trim(text));
    c.owner = std::string(owner);
    std::string_view t = c.text;
    if (t.empty()) return fail("empty constraint");
    if (t == "typos" || t == "case_sensitive" || t == "empty_refused" || t == "quoted_is_string" || t == "bools_exact") {
        c.kind = t == "typos"            ? Constraint::Kind::typos
                 : t == "case_sensitive" ? Constraint::Kind::case_sensitive
                 : t == "empty_refused"  ? Constraint::Kind::empty_refused
                 : t == "bools_exact"    ? Constraint::Kind::bools_exact
                                         : Constraint::Kind::quoted_is_string;
        return c;
    }
    if (t == "unknown_refused" || t.starts_with("unknown_refused ")) {
        c.kind = Constraint::Kind::unknown_refused;
        c.version = std::string(trim(t.substr(15)));
        if (c.version.empty() || c.version.find(' ') != std::string::npos)
            return fail("'unknown_refused' needs the version the table lists every key of, as `unknown_refused 7.0`");
        return c;
    }
    if (t.starts_with("units ")) {
        c.kind = Constraint::Kind::units;
        std::string_view list = t.substr(6);
        for (size_t at = 0; at <= list.size();) {
            size_t comma = std::min(list.find(',', at), list.size());
            if (auto w = trim(list.substr(at, comma - at)); !w.empty()) c.units.emplace_back(w);
            at = comma + 1;
        }
        if (c.units.empty()) return fail("'units' needs the accepted spellings, as `units kB,MB,ms`");
        return c;
    }
    if (t.starts_with("args ") || t.starts_with("fields ")) {
        c.kind = Constraint::Kind::arguments;
        c.fields = t.starts_with("fields ");
        auto grammar = parse_arg_grammar(t.substr(c.fields ? 7 : 5));
        if (!grammar) return fail(rules_detail::format("constraint '{}': {}", t, grammar.error().message));
        c.grammar = std::move(*grammar);
        return c;
    }
    // Trailing conditions, last first: `... if C`, `... unless C`.
    if (t.ends_with(" if") || t.ends_with(" unless")) return fail(rules_detail::format("constraint '{}' lacks its condition", t));
    for (;;) {
        size_t at_if = t.rfind(" if "), at_unless = t.rfind(" unless ");
        if (at_if == std::string_view::npos && at_unless == std::string_view::npos) break;
        bool negated = at_if == std::string_view::npos || (at_unless != std::string_view::npos && at_unless > at_if);
        size_t at = negated ? at_unless : at_if;
        std::string_view text = trim(t.substr(at + (negated ? 8 : 4)));
        Condition cond;
        cond.negated = negated;
        size_t op_at = std::string_view::npos, op_len = 0;
        for (auto op : kOperators)
            if (size_t p = text.find(op); p != std::string_view::npos && (p < op_at || (p == op_at && op.size() > op_len)))
                op_at = p, op_len = op.size();
        if (op_at != std::string_view::npos) {
            cond.op = std::string(text.substr(op_at, op_len));
        } else if (size_t eq = text.find('='); eq != std::string_view::npos) {
            op_at = eq, op_len = 1, cond.op = "=";
        }
        cond.param = std::string(trim(text.substr(0, op_at)));
        if (op_at != std::string_view::npos) cond.value = std::string(trim(text.substr(op_at + op_len)));
        bool list = cond.param.find(',') != std::string::npos;
        bool numeric = !cond.op.empty() && cond.op != "=";
        if (cond.param.empty() || cond.param.find(' ') != std::string::npos || (list && (!negated || !cond.op.empty())) ||
            (!cond.op.empty() && cond.value.empty()) || (numeric && !parse_number(cond.value)))
            return fail(rules_detail::format("malformed condition '{}'", text));
        c.when.insert(c.when.begin(), cond);
        t = trim(t.substr(0, at));
    }
    for (auto [word, kind] : {std::pair{std::string_view("removed_in"), Constraint::Kind::removed_in},
                              std::pair{std::string_view("added_in"), Constraint::Kind::added_in}}) {
        // `VALUE removed_in VERSION`: the version bound of one value of the parameter.
        std::string value;
        if (size_t at = t.find(" " + std::string(word) + " "); at != std::string_view::npos && !t.starts_with(word)) {
            value = std::string(trim(t.substr(0, at)));
            if (value.find(' ') != std::string::npos) return fail(rules_detail::format("malformed '{}'", t));
            t = trim(t.substr(at + 1));
        }
        if (t.starts_with(word)) {
            std::string_view v = trim(t.substr(word.size()));
            if (!v.empty() && (v[0] == '=' || v[0] == ':')) v = trim(v.substr(1));
            if (v.empty()) return fail(rules_detail::format("'{}' needs a version", word));
            c.kind = kind;
            c.version = std::string(v);
            c.value = value;
            return c;
        }
    }
    for (auto [word, kind] : {std::pair{std::string_view(" key_of "), Constraint::Kind::key_of},
                              std::pair{std::string_view(" named_in "), Constraint::Kind::named_in}}) {
        size_t r = t.find(word);
        if (r == std::string_view::npos) continue;
        c.kind = kind;
        c.cond_param = std::string(trim(t.substr(0, r)));
        c.need_param = std::string(trim(t.substr(r + word.size())));
        if (c.cond_param.empty() || c.need_param.empty() || c.cond_param.find_first_of(" =") != std::string::npos ||
            c.need_param.find_first_of(" =") != std::string::npos)
            return fail(rules_detail::format("malformed constraint '{}': write A{}B", text, word));
        return c;
    }
    if (size_t r = t.find(" conflicts "); r != std::string_view::npos) {
        c.kind = Constraint::Kind::conflict;
        c.cond_param = std::string(trim(t.substr(0, r)));
        c.need_param = std::string(trim(t.substr(r + 11)));
        auto plain = [](const std::string& n) { return !n.empty() && n.find_first_of(" =") == std::string::npos; };
        if (!plain(c.cond_param) || !plain(c.need_param))
            return fail(rules_detail::format("malformed 'conflicts' constraint '{}'", t));
        return c;
    }
    if (size_t r = t.find(" requires "); r != std::string_view::npos) {
        c.kind = Constraint::Kind::requirement;
        auto side = [](std::string_view s, std::string& param, std::string& value) -> bool {
            s = trim(s);
            size_t eq = s.find('=');
            param = std::string(trim(s.substr(0, eq)));
            if (eq != std::string_view::npos) value = std::string(trim(s.substr(eq + 1)));
            return !param.empty() && param.find(' ') == std::string::npos;
        };
        if (!side(t.substr(0, r), c.cond_param, c.cond_value) ||
            !side(t.substr(r + 10), c.need_param, c.need_value))
            return fail(rules_detail::format("malformed 'requires' constraint '{}'", t));
        return c;
    }
    auto tokens = tokenize(t);
    if (!tokens) return std::unexpected(tokens.error());
    auto op = std::find_if(tokens->begin(), tokens->end(), [](const std::string& tok) {
        return std::find(std::begin(kOperators), std::end(kOperators), tok) != std::end(kOperators);
    });
    if (op == tokens->end()) return fail(rules_detail::format("constraint '{}' has no comparison or 'requires'", t));
    c.kind = Constraint::Kind::compare;
    c.lhs.assign(tokens->begin(), op);
    c.op = *op;
    c.rhs.assign(op + 1, tokens->end());
    if (c.lhs.empty() || c.rhs.empty()) return fail(rules_detail::format("constraint '{}' lacks a side", t));
    return c;
}

const ParamSpec* SpecSet::find(std::string_view key) const {
    if (auto it = params.find(std::string(key)); it != params.end()) return &it->second;
    // ASCII case-insensitive, compared in place: this runs for every parameter of a file.
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (const auto& [name, spec] : params)
        if (name.size() == key.size() &&
            std::equal(name.begin(), name.end(), key.begin(), [&](char a, char b) { return lower(a) == lower(b); }))
            return &spec;
    std::string bare = strip_indices(key);
    if (bare != key)
        if (auto it = params.find(bare); it != params.end()) return &it->second;
    const ParamSpec* best = nullptr;
    for (const auto& [name, spec] : params) {
        if (!name.starts_with("*.")) continue;
        std::string_view suffix = std::string_view(name).substr(1);  // ".rest"
        std::string_view k = bare;
        bool whole = k.ends_with(suffix) || k == suffix.substr(1);
        if (whole && (!best || name.size() > best->name.size())) best = &spec;
    }
    return best;
}

bool SpecSet::has(Constraint::Kind kind) const {
    return std::ranges::any_of(constraints, [&](const Constraint& c) { return c.kind == kind; });
}

void SpecSet::merge(const SpecSet& other) {
    if (system.empty()) system = other.system;
    for (const auto& [name, spec] : other.params) params.try_emplace(name, spec);
    for (const auto& c : other.constraints) {
        bool dup = std::any_of(constraints.begin(), constraints.end(), [&](const Constraint& have) {
            return have.text == c.text && have.owner == c.owner;
        });
        if (!dup) constraints.push_back(c);
    }
    case_sensitive = case_sensitive || other.case_sensitive;
    if (units.empty()) units = other.units;
    for (const auto& s : other.bool_spellings)
        if (std::find(bool_spellings.begin(), bool_spellings.end(), s) == bool_spellings.end())
            bool_spellings.push_back(s);
    sources.insert(sources.end(), other.sources.begin(), other.sources.end());
}

Expected<SpecSet> parse_spec_tsv(std::string_view text, std::string_view label) {
    SpecSet set;
    if (!label.empty()) set.sources.emplace_back(label);
    auto err = [&](std::string msg, int line) {
        return std::unexpected(Error{std::move(msg), line, std::string(label)});
    };
    for (const Line& l : split_lines(text)) {
        std::string_view row = l.text;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        // The header row; a parameter called `name` (etcd has one) is a row.
        if (is_blank(row) || trim(row).starts_with("#") || row.starts_with("name\ttype\t")) continue;
        auto f = split_on(row, '\t');
        // A value past the last column is a misplaced field, never to be dropped in silence.
        for (size_t extra = kColumns; extra < f.size(); ++extra)
            if (!trim(f[extra]).empty()) return err("more than 12 columns: is a tab doubled?", l.number);
        f.resize(std::max<size_t>(f.size(), kColumns));
        ParamSpec p;
        p.name = std::string(trim(f[0]));
        if (p.name.empty()) return err("a row has no name", l.number);
        std::string type(trim(f[1]));
        if (type.ends_with("[]")) {
            p.rule.list = true;
            type.resize(type.size() - 2);
        }
        if (!type.empty()) {
            auto kind = value_kind_from_string(type);
            if (!kind) return err(rules_detail::format("unknown type '{}'", type), l.number);
            p.rule.kind = *kind;
        }
        p.default_value = std::string(trim(f[2]));
        auto mn = parse_bound(f[3], l.number);
        if (!mn) return err(mn.error().message, l.number);
        auto mx = parse_bound(f[4], l.number);
        if (!mx) return err(mx.error().message, l.number);
        p.rule.min = *mn;
        p.rule.max = *mx;
        std::vector<std::string> values;
        for (auto& v : split_on(f[5], ','))
            if (!trim(v).empty()) values.emplace_back(trim(v));
        p.unit = std::string(trim(f[6]));
        p.rule.unit = p.unit;
        switch (p.rule.kind) {
            case ValueKind::integer:
            case ValueKind::number:
            case ValueKind::duration:
            case ValueKind::size:
            case ValueKind::port:
                // Numbers are special values; words (`auto`) are accepted spellings.
                for (const auto& v : values) {
                    if (auto n = parse_number(v)) p.rule.special.push_back(static_cast<double>(*n));
                    else p.rule.enum_values.push_back(v);
                }
                break;
            case ValueKind::boolean:
                p.rule.bool_spellings = values;
                break;
            default:
                p.rule.enum_values = values;
        }
        if (p.rule.kind == ValueKind::enumeration && p.rule.enum_values.empty())
            return err(rules_detail::format("enum '{}' lists no values", p.name), l.number);
        if ((p.rule.kind == ValueKind::duration || p.rule.kind == ValueKind::size) && !p.unit.empty()) {
            bool ok = p.rule.kind == ValueKind::duration ? is_duration_unit(p.unit) : is_size_unit(p.unit);
            if (!ok) return err(rules_detail::format("'{}' is not a unit of {}", p.unit, to_string(p.rule.kind)), l.number);
        }
        for (auto& c : split_on(f[7], ';')) {
            if (trim(c).empty()) continue;
            auto parsed = parse_constraint(c, p.name);
            if (!parsed) return err(parsed.error().message, l.number);
            set.constraints.push_back(*parsed);
            p.constraints.emplace_back(trim(c));
        }
        p.since = std::string(trim(f[8]));
        p.until = std::string(trim(f[9]));
        std::string restart(trim(f[10])), origin(trim(f[11]));
        if (!restart.empty() && restart != "yes" && restart != "no")
            return err(rules_detail::format("restart is '{}': write yes, no or nothing", restart), l.number);
        if (!origin.empty() && origin != "doc")
            return err(rules_detail::format("origin is '{}': write doc or nothing", origin), l.number);
        // The version columns are checked as the version constraints they stand for.
        for (auto [version, word] : {std::pair{&p.since, "added_in "}, std::pair{&p.until, "removed_in "}}) {
            if (version->empty() || p.name == "*") continue;
            auto c = parse_constraint(word + *version, p.name);
            if (!c) return err(c.error().message, l.number);
            set.constraints.push_back(*c);
        }
        p.restart = restart == "yes";
        p.documented = origin == "doc";
        if (p.documented) p.seen = 1;
        if (p.name == "*") {
            set.bool_spellings = p.rule.bool_spellings;
            for (const auto& c : set.constraints)
                if (c.kind == Constraint::Kind::case_sensitive) set.case_sensitive = true;
                else if (c.kind == Constraint::Kind::units) set.units = c.units;
            continue;
        }
        if (set.params.count(p.name)) return err(rules_detail::format("'{}' has two rows", p.name), l.number);
        set.params.emplace(p.name, std::move(p));
    }
    return set;
}

Expected<SpecSet> read_spec_tsv(const fs::path& path) {
    // Bounded, and only a regular file: `rules.spec` may name a repository's file.
    auto text = read_text_file(path);
    if (!text) return std::unexpected(Error{"cannot read spec table: " + text.error().message, 0, path.string()});
    return parse_spec_tsv(*text, path.string());
}

std::string write_spec_tsv(const SpecSet& spec) {
    std::string out = "# spec table";
    if (!spec.system.empty()) out += " for " + spec.system;
    out += " (ciri rules); see ciri/rules/spec.hpp for the columns\n";
    bool extra = std::any_of(spec.params.begin(), spec.params.end(), [](const auto& kv) {
        const ParamSpec& p = kv.second;
        return !p.since.empty() || !p.until.empty() || p.restart || p.documented;
    });
    out += std::string(kHeader) + (extra ? std::string(kExtraHeader) : "") + "\n";
    std::vector<std::string> system_wide;  // the `*` row's own constraints (typos, case_sensitive)
    for (const auto& c : spec.constraints)
        if (c.owner == "*") system_wide.push_back(c.text);
    if (!spec.bool_spellings.empty() || !system_wide.empty())
        out += "*\tbool\t\t\t\t" + join(spec.bool_spellings, ",") + "\t\t" + join(system_wide, "; ") + "\n";
    for (const auto& [name, p] : spec.params) {
        std::vector<std::string> values;
        switch (p.rule.kind) {
            case ValueKind::boolean: values = p.rule.bool_spellings; break;
            case ValueKind::integer:
            case ValueKind::number:
            case ValueKind::duration:
            case ValueKind::size:
            case ValueKind::port:
                for (double s : p.rule.special) values.push_back(fmt_bound(s));
                values.insert(values.end(), p.rule.enum_values.begin(), p.rule.enum_values.end());
                break;
            default: values = p.rule.enum_values;
        }
        std::string type(to_string(p.rule.kind));
        if (p.rule.list) type += "[]";
        out += rules_detail::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", name, type, p.default_value, fmt_bound(p.rule.min),
                           fmt_bound(p.rule.max), join(values, ","), p.unit, join(p.constraints, "; "));
        if (extra)
            out += rules_detail::format("\t{}\t{}\t{}\t{}", p.since, p.until, p.restart ? "yes" : "",
                                        p.documented ? "doc" : "");
        out += "\n";
    }
    return out;
}

fs::path default_spec_dir() { return data_dir() / "datasets"; }

Expected<SpecSet> load_spec_set(std::string_view system, const std::vector<fs::path>& spec_paths,
                                const fs::path& shipped_dir) {
    SpecSet set;
    set.system = std::string(system);
    std::string sys(system);
    for (const auto& p : spec_paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const fs::path& candidate : {p / (sys + ".tsv"), p / sys / "params.tsv"}) {
                if (!fs::is_regular_file(candidate, ec)) continue;
                auto t = read_spec_tsv(candidate);
                if (!t) return std::unexpected(t.error());
                set.merge(*t);
            }
        } else if (fs::is_regular_file(p, ec)) {
            auto t = read_spec_tsv(p);
            if (!t) return std::unexpected(t.error());
            set.merge(*t);
        } else {
            return std::unexpected(Error{"spec table not found", 0, p.string()});
        }
    }
    if (!sys.empty() && !shipped_dir.empty()) {
        fs::path shipped = shipped_dir / sys / "params.tsv";
        std::error_code ec;
        if (fs::is_regular_file(shipped, ec)) {
            auto t = read_spec_tsv(shipped);
            if (!t) return std::unexpected(t.error());
            set.merge(*t);
        }
        // Keys of other systems the files carry under a prefix (sbatch's exported NCCL_*).
        if (auto e = merge_embedded_tables(set, sys, shipped_dir); !e) return std::unexpected(e.error());
    }
    return set;
}

}  // namespace ciri
