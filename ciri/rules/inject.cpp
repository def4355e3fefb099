#include "ciri/rules/inject.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "ciri/rules/check.hpp"
#include "ciri/rules/format.hpp"
#include "ciri/rules/infer.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

// splitmix64: the same numbers on every platform, unlike std:: distributions.
struct Rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(next() % n); }
};

template <class T>
void shuffle(std::vector<T>& v, Rng& rng) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

// Evidence strong enough to know what a parameter is for generating its mistakes.
constexpr double kMinConfidence = 0.75;

bool numeric(ValueKind k) {
    return k == ValueKind::integer || k == ValueKind::number || k == ValueKind::duration || k == ValueKind::size;
}

bool hostish(ValueKind k) { return k == ValueKind::host || k == ValueKind::ip; }

// Candidate wrong values per rule for a parameter with expectation `e` and value `v`;
// empty when the rule does not apply. The checker must call each of them wrong.
using Generator = std::function<std::vector<std::string>(const Expectation& e, const std::string& v)>;

std::string mangle_path(const std::string& v) {
    size_t slash = v.find('/', v.find("://") == std::string::npos ? 0 : v.find("://") + 3);
    if (slash == std::string::npos) return v + "////staging";
    if (slash + 1 < v.size()) return v.substr(0, slash) + "////" + v.substr(slash + 1);
    return v + "//x";
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::pair<InjectRule, Generator>> generators() {
    std::vector<std::pair<InjectRule, Generator>> g;
    g.push_back({{"Syntax", "Data Type", "syntax-data-type"}, [](const Expectation& e, const std::string&) {
                     std::vector<std::string> out;
                     if (!numeric(e.rule.kind)) return out;
                     if (e.rule.kind == ValueKind::duration) out = {"10nounit", "80hhhhh"};
                     else if (e.rule.kind == ValueKind::size) out = {"128N", "8BB"};
                     else out = {"true"};
                     if (!e.lenient && e.rule.kind == ValueKind::integer) out.insert(out.begin(), {"9.9", "-5.5"});
                     return out;
                 }});
    g.push_back({{"Syntax", "Path", "syntax-path"}, [](const Expectation& e, const std::string& v) {
                     if (e.rule.kind != ValueKind::path) return std::vector<std::string>{};
                     return std::vector<std::string>{mangle_path(v)};
                 }});
    g.push_back({{"Syntax", "URL", "syntax-url"}, [](const Expectation& e, const std::string& v) {
                     if (e.rule.kind != ValueKind::url) return std::vector<std::string>{};
                     size_t at = v.find("://");
                     if (at != std::string::npos) return std::vector<std::string>{v.substr(0, at) + v.substr(at + 1)};
                     return std::vector<std::string>{"file:::"};
                 }});
    g.push_back({{"Syntax", "IP Address", "syntax-ip"}, [](const Expectation& e, const std::string&) {
                     if (!hostish(e.rule.kind)) return std::vector<std::string>{};
                     return std::vector<std::string>{"1.1.1.1.1.1", "0.0.0", "x.0.0.0.0.0"};
                 }});
    g.push_back({{"Syntax", "Port", "syntax-port"}, [](const Expectation& e, const std::string&) {
                     if (e.rule.kind != ValueKind::port) return std::vector<std::string>{};
                     return std::vector<std::string>{"1.1", "ciri", "-100.22"};
                 }});
    g.push_back({{"Syntax", "Permission", "syntax-permission"}, [](const Expectation& e, const std::string&) {
                     if (e.rule.kind != ValueKind::permission) return std::vector<std::string>{};
                     return std::vector<std::string>{"ciri", "1.1.1"};
                 }});
    g.push_back({{"Range", "Basic Numeric", "range-numeric"}, [](const Expectation& e, const std::string&) {
                     std::vector<std::string> out;
                     if (!numeric(e.rule.kind)) return out;
                     if (e.rule.max) out.push_back(rules_detail::format("{}", static_cast<long long>(*e.rule.max) + 1));
                     if (e.rule.min && *e.rule.min > -1)
                         out.push_back(rules_detail::format("{}", static_cast<long long>(*e.rule.min) - 1));
                     if (!e.rule.min && !e.rule.max) out = {"-100", "-10"};
                     if (e.count_like) out.push_back("4000000000");
                     return out;
                 }});
    g.push_back({{"Range", "Bool", "range-bool"}, [](const Expectation& e, const std::string&) {
                     if (e.rule.kind != ValueKind::boolean) return std::vector<std::string>{};
                     return std::vector<std::string>{"10", "1.5", "10000"};
                 }});
    g.push_back({{"Range", "Enum", "range-enum"}, [](const Expectation& e, const std::string& v) {
                     if (e.rule.kind == ValueKind::class_name) return std::vector<std::string>{"NOEXIST_CLASS"};
                     if (e.rule.kind != ValueKind::enumeration) return std::vector<std::string>{};
                     return std::vector<std::string>{"NOEXIST_" + upper(v.empty() ? "VALUE" : v), "nonono"};
                 }});
    g.push_back({{"Range", "IP Address", "range-ip"}, [](const Expectation& e, const std::string&) {
                     if (!hostish(e.rule.kind)) return std::vector<std::string>{};
                     return std::vector<std::string>{"256.256.256.256", "0.0.256.0", "-1.0.0.0"};
                 }});
    g.push_back({{"Range", "Port", "range-port"}, [](const Expectation& e, const std::string&) {
                     if (e.rule.kind != ValueKind::port) return std::vector<std::string>{};
                     return std::vector<std::string>{"65536", "-100", "80800"};
                 }});
    g.push_back({{"Range", "Permission", "range-permission"}, [](const Expectation& e, const std::string&) {
                     if (e.rule.kind != ValueKind::permission) return std::vector<std::string>{};
                     return std::vector<std::string>{"888", "999", "0800"};
                 }});
    return g;
}

struct Edit {
    const Parameter* param;
    std::string value;
};

std::string quote_like(std::string_view old_value, std::string_view value) {
    std::string_view o = trim(old_value);
    if (o.size() >= 2 && (o.front() == '\'' || o.front() == '"') && o.back() == o.front())
        return std::string(1, o.front()) + std::string(value) + std::string(1, o.front());
    return std::string(value);
}

std::string xml_escape(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

bool is_xml(std::string_view format) { return format == "hadoop-xml" || format == "xml"; }

// Applies edits in one pass; each must find its value at its parameter's line.
Expected<std::string> apply(const ConfigFile& file, const std::vector<Edit>& edits) {
    ConfigFile copy = file;
    for (const auto& e : edits) {
        auto it = std::find_if(copy.params.begin(), copy.params.end(),
                               [&](const Parameter& p) { return p.key == e.param->key && p.line == e.param->line; });
        if (it == copy.params.end()) return fail("parameter not in file");
        auto text = replace_value(copy, *it, e.value);
        if (!text) return text;
        // Later edits search by line; lines do not move since values are one-line.
        copy.text = *text;
        it->value = e.value;
    }
    return copy.text;
}

const Parameter* find_param(const ConfigFile& file, std::string_view key) {
    for (const auto& p : file.params)
        if (p.key == key) return &p;
    return nullptr;
}

// Wrong values for the first parameter of a constraint that the checker then reports.
std::vector<std::string> relationship_candidates(const std::string& value) {
    std::string v = unquote(value);
    std::vector<std::string> out;
    if (auto n = parse_integer(v)) {
        long long x = static_cast<long long>(*n);
        for (long long c : {x * 2 + 1, x + 1, x - 1, x / 2, 0LL, -x}) out.push_back(std::to_string(c));
    } else if (auto q = split_quantity(v)) {
        long long x = static_cast<long long>(q->number);
        for (long long c : {x * 4 + 1, x / 4, 0LL}) out.push_back(std::to_string(c) + q->unit);
    }
    return out;
}

}  // namespace

const std::vector<InjectRule>& inject_rules() {
    static const std::vector<InjectRule> rules = [] {
        std::vector<InjectRule> out;
        for (const auto& [rule, gen] : generators()) out.push_back(rule);
        out.push_back({"Dependency", "Control", "dependency-control"});
        out.push_back({"Dependency", "Value Relationship", "dependency-value"});
        out.push_back({"Version", "Parameter Change", "version-change"});
        return out;
    }();
    return rules;
}

Expected<std::string> replace_value(const ConfigFile& file, const Parameter& param, std::string_view value) {
    if (trim(param.value).empty()) return fail("parameter '" + param.key + "' has an empty value");
    const std::string& text = file.text;
    size_t line_start = 0;
    for (int l = 1; l < param.line && line_start != std::string::npos; ++l) {
        line_start = text.find('\n', line_start);
        if (line_start != std::string::npos) ++line_start;
    }
    if (line_start == std::string::npos) return fail("line of '" + param.key + "' not found");
    // Start after the key's last word on its line, so a value equal to part of the key is not hit.
    std::string_view key = param.key;
    size_t dot = key.find_last_of(".[");
    std::string_view word = dot == std::string_view::npos ? key : key.substr(dot + 1);
    size_t line_end = text.find('\n', line_start);
    size_t from = line_start;
    size_t k = text.find(word, line_start);
    if (!word.empty() && k != std::string::npos && (line_end == std::string::npos || k < line_end)) from = k + word.size();
    std::string old = is_xml(file.format) ? xml_escape(param.value) : param.value;
    size_t at = text.find(old, from);
    if (at == std::string::npos && is_xml(file.format)) {
        old = param.value;
        at = text.find(old, from);
    }
    // The value is on the key's line or, for XML, a few lines below.
    size_t limit = from;
    for (int i = 0; i < (is_xml(file.format) ? 6 : 1) && limit != std::string::npos; ++i) {
        limit = text.find('\n', limit + (i == 0 ? 0 : 1));
    }
    if (at == std::string::npos || (limit != std::string::npos && at > limit))
        return fail("value of '" + param.key + "' not found at its line");
    std::string fresh = quote_like(param.value, value);
    if (is_xml(file.format)) fresh = xml_escape(fresh);
    return text.substr(0, at) + fresh + text.substr(at + old.size());
}

Expected<std::string> add_parameter(const ConfigFile& file, std::string_view key, std::string_view value) {
    std::string text = file.text;
    std::string k(key), v(value);
    if (!text.empty() && text.back() != '\n') text += '\n';
    if (is_xml(file.format)) {
        size_t end = text.rfind("</configuration>");
        if (end == std::string::npos) return fail("no </configuration> to add a property before");
        std::string prop = "<property>\n  <name>" + xml_escape(k) + "</name>\n  <value>" + xml_escape(v) +
                           "</value>\n</property>\n\n";
        return text.insert(end, prop);
    }
    if (file.format == "properties" || file.format == "env") return text + k + "=" + v + "\n";
    if (file.format == "conf" || file.format == "python") return text + k + " = " + v + "\n";
    if (file.format == "directives") return text + k + " " + v + "\n";
    if (file.format == "yaml" && k.find('.') == std::string::npos) return text + k + ": " + v + "\n";
    return fail("cannot add a parameter to a " + file.format + " file");
}

std::vector<Variant> inject(const ConfigFile& file, const SpecSet& spec, const InjectOptions& options) {
    std::vector<Variant> out;
    out.push_back({"valid", "", "", {}, {}, file.text});
    Rng rng{options.seed};
    int per_rule = std::max(0, options.per_rule);

    std::vector<std::pair<const Parameter*, Expectation>> typed;
    for (const auto& p : file.params) {
        if (trim(unquote(p.value)).empty() || is_unjudgeable(unquote(p.value))) continue;
        if (find_param(file, p.key) != &p) continue;  // duplicates: only the first counts
        auto e = expect(p, spec, file.format);
        if (e && e->confidence >= kMinConfidence) typed.emplace_back(&p, *e);
    }

    std::set<std::string> already_wrong;
    for (const auto& f : check_file(file, spec).findings) already_wrong.insert(f.param);

    // Keeps a variant only when the edit landed and the rules see the parameter as wrong:
    // a generated value that some system would accept is not a misconfiguration.
    auto keep = [&](const InjectRule& rule, const std::vector<Edit>& edits, std::vector<std::string> params,
                    int n) -> bool {
        auto text = apply(file, edits);
        if (!text) return false;
        ConfigFile changed = file;
        changed.text = *text;
        for (const auto& e : edits)
            for (auto& p : changed.params)
                if (p.key == e.param->key && p.line == e.param->line) p.value = e.value;
        auto verdict = check_file(changed, spec);
        for (const auto& name : params) {
            bool flagged = std::any_of(verdict.findings.begin(), verdict.findings.end(),
                                       [&](const RuleFinding& f) { return f.param == name; });
            if (!flagged) return false;
        }
        // The label must be the whole truth: no other parameter may turn wrong with it.
        for (const auto& f : verdict.findings) {
            bool labeled = std::find(params.begin(), params.end(), f.param) != params.end();
            if (!labeled && !already_wrong.count(f.param)) return false;
        }
        Variant v;
        v.id = std::string(rule.slug) + "-" + std::to_string(n);
        v.category = std::string(rule.category);
        v.subcategory = std::string(rule.subcategory);
        // One value per parameter: the one written, or the unchanged one.
        for (const auto& name : params) {
            auto e = std::find_if(edits.begin(), edits.end(), [&](const Edit& x) { return x.param->key == name; });
            const Parameter* p = find_param(file, name);
            v.values.push_back(e != edits.end() ? e->value : (p ? p->value : std::string()));
        }
        v.params = std::move(params);
        v.text = std::move(*text);
        out.push_back(std::move(v));
        return true;
    };

    for (const auto& [rule, gen] : generators()) {
        auto order = typed;
        shuffle(order, rng);
        int made = 0;
        for (const auto& [p, e] : order) {
            if (made >= per_rule) break;
            auto values = gen(e, unquote(p->value));
            if (values.empty()) continue;
            size_t first = rng.below(values.size());
            for (size_t i = 0; i < values.size(); ++i) {
                const std::string& value = values[(first + i) % values.size()];
                if (value == unquote(p->value)) continue;
                if (keep(rule, {{p, value}}, {p->key}, made + 1)) {
                    ++made;
                    break;
                }
            }
        }
    }

    const auto& rules = inject_rules();
    const InjectRule& control = rules[rules.size() - 3];
    const InjectRule& relation = rules[rules.size() - 2];
    const InjectRule& version = rules[rules.size() - 1];

    // Dependency: break a constraint whose parameters are all in the file.
    auto constraints = spec.constraints;
    shuffle(constraints, rng);
    int controls = 0, relations = 0;
    for (const auto& c : constraints) {
        if (c.kind == Constraint::Kind::requirement && controls < per_rule) {
            const Parameter* a = find_param(file, c.cond_param);
            const Parameter* b = find_param(file, c.need_param);
            if (!a || !b || c.need_value.empty()) continue;
            std::string on = c.cond_value.empty() ? (is_bool_spelling(a->value, file.format) && file.format == "python"
                                                         ? "True"
                                                         : "true")
                                                  : c.cond_value;
            std::string need = to_lower(c.need_value);
            std::string off;
            if (need == "true" || need == "false") {
                bool py = file.format == "python";
                off = need == "true" ? (py ? "False" : "false") : (py ? "True" : "true");
            } else {
                off = "NOEXIST_" + upper(c.need_value);
            }
            std::vector<Edit> edits;
            if (unquote(a->value) != on) edits.push_back({a, on});
            edits.push_back({b, off});
            if (keep(control, edits, {a->key, b->key}, controls + 1)) ++controls;
        } else if (c.kind == Constraint::Kind::compare && relations < per_rule) {
            auto names = c.params();
            if (names.empty()) continue;
            std::vector<std::string> present;
            for (const auto& n : names)
                if (find_param(file, n)) present.push_back(n);
            if (present.size() != names.size()) continue;
            const Parameter* target = find_param(file, names.front());
            for (const auto& value : relationship_candidates(target->value)) {
                if (keep(relation, {{target, value}}, present, relations + 1)) {
                    ++relations;
                    break;
                }
            }
        }
    }
    // Generic relationship: a minimum raised above its maximum.
    for (size_t i = 0; i < file.params.size() && relations < per_rule; ++i) {
        auto ti = name_tokens(file.params[i].key);
        for (size_t j = 0; j < file.params.size() && relations < per_rule; ++j) {
            auto tj = name_tokens(file.params[j].key);
            if (i == j || ti.size() != tj.size()) continue;
            int diff = 0;
            bool pair = false;
            for (size_t k = 0; k < ti.size(); ++k) {
                if (ti[k] == tj[k]) continue;
                ++diff;
                pair = ti[k] == "min" && tj[k] == "max";
            }
            if (diff != 1 || !pair) continue;
            for (const auto& value : relationship_candidates(file.params[j].value)) {
                if (keep(relation, {{&file.params[i], value}}, {file.params[i].key, file.params[j].key},
                         relations + 1)) {
                    ++relations;
                    break;
                }
            }
        }
    }

    // Version: a parameter this version does not have, added with its default.
    if (!file.version.empty()) {
        int made = 0;
        for (const auto& c : constraints) {
            if (made >= per_rule) break;
            if (c.kind != Constraint::Kind::removed_in && c.kind != Constraint::Kind::added_in) continue;
            if (find_param(file, c.owner)) continue;
            const ParamSpec* row = spec.find(c.owner);
            std::string value = row && !row->default_value.empty() ? row->default_value : "1";
            auto text = add_parameter(file, c.owner, value);
            if (!text) continue;
            ConfigFile changed = file;
            changed.text = *text;
            changed.params.push_back({c.owner, value, 0, "", ""});
            auto verdict = check_file(changed, spec);
            bool flagged = std::any_of(verdict.findings.begin(), verdict.findings.end(),
                                       [&](const RuleFinding& f) { return f.param == c.owner; });
            if (!flagged) continue;
            ++made;
            out.push_back({std::string(version.slug) + "-" + std::to_string(made), std::string(version.category),
                           std::string(version.subcategory), {c.owner}, {value}, std::move(*text)});
        }
    }
    return out;
}

}  // namespace ciri
