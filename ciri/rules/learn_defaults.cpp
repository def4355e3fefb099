#include "ciri/rules/learn_defaults.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "ciri/rules/format.hpp"
#include "ciri/rules/infer.hpp"
#include "ciri/rules/learn.hpp"
#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

// A number as documents write it, with an optional unit glued on: -1, 0.5, 30s, 100kb, 1d.
constexpr const char* kNum = "(-?[0-9]+(?:\\.[0-9]+)?[a-z]*)";

// The unit words that say what a bare number counts in, and the unit ciri spells them with.
const std::pair<const char*, const char*> kUnitWords[] = {
    {"milliseconds", "ms"}, {"millisecond", "ms"}, {"millis", "ms"}, {"msec", "ms"}, {"ms", "ms"},
    {"seconds", "s"},       {"second", "s"},       {"secs", "s"},    {"sec", "s"},   {"minutes", "min"},
    {"minute", "min"},      {"hours", "h"},        {"hour", "h"},    {"days", "d"},  {"bytes", "b"},
    {"kilobytes", "kB"},    {"kb", "kB"},          {"megabytes", "MB"}, {"mb", "MB"},
};

std::string unit_of_word(std::string_view word) {
    for (auto [w, u] : kUnitWords)
        if (word == w) return u;
    return {};
}

std::string lower_collapsed(std::string_view text) { return to_lower(collapse_whitespace(text)); }

bool is_enum_item(std::string_view s) {
    return !s.empty() && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '+';
    });
}

// A comment that is nothing but a list of words holding the default ("minimal, replica, or
// logical"): the values the parameter takes. The part after the last ':' or ';' is read, so a
// lead-in ("synchronization level; off, local, on") is allowed.
std::vector<std::string> listed_with_default(std::string_view text, std::string_view default_value) {
    std::string t = collapse_whitespace(text);
    for (std::string_view noise : {"(change requires restart)", "(change requires a restart)"})
        if (size_t at = t.find(noise); at != std::string::npos) t.erase(at, noise.size());
    size_t cut = t.find_last_of(":;");
    std::string_view piece = trim(std::string_view(t).substr(cut == std::string::npos ? 0 : cut + 1));
    if (piece.empty() || (piece.find(',') == std::string_view::npos && piece.find(" or ") == std::string_view::npos))
        return {};
    std::vector<std::string> items;
    std::string cur;
    auto flush = [&] {
        std::string item(trim(cur));
        for (std::string_view lead : {"or ", "and "})
            if (item.starts_with(lead)) item = std::string(trim(std::string_view(item).substr(lead.size())));
        item = unquote(item);
        if (!item.empty()) items.push_back(item);
        cur.clear();
    };
    for (size_t i = 0; i < piece.size(); ++i) {
        if (piece[i] == ',' ) flush();
        else if (piece.substr(i).starts_with(" or ")) flush(), i += 3;
        else cur += piece[i];
    }
    flush();
    if (items.size() < 2 || items.size() > 16) return {};
    if (!std::all_of(items.begin(), items.end(), [](const std::string& s) { return is_enum_item(s); })) return {};
    std::string def = to_lower(unquote(default_value));
    bool has_default = std::any_of(items.begin(), items.end(), [&](const std::string& s) { return to_lower(s) == def; });
    return has_default ? items : std::vector<std::string>{};
}

// The unit glued to a number as written ("30s" -> "s"); "" for a bare number.
std::string unit_suffix(std::string_view bound) {
    auto q = split_quantity(bound);
    return q ? q->unit : std::string();
}

// `bound` in units of `unit` for a duration or size; a bare bound is taken as already in it.
// (The glued unit is read first: "1d" is a day, not Java's double 1.)
std::optional<double> in_unit(std::string_view bound, ValueKind kind, std::string_view unit) {
    if (kind == ValueKind::duration || kind == ValueKind::size) {
        auto convert = [&](std::string_view amount, std::string_view in) {
            return kind == ValueKind::duration ? duration_ms(amount, in) : size_bytes(amount, in);
        };
        auto q = split_quantity(bound);
        auto v = q ? convert("1", q->unit) : convert(bound, unit);
        auto per = convert("1", unit);
        if (!v || !per || *per == 0) return std::nullopt;
        return static_cast<double>((q ? q->number * *v : *v) / *per);
    }
    if (!unit_suffix(bound).empty()) return std::nullopt;
    if (auto n = parse_number(bound)) return static_cast<double>(*n);
    return std::nullopt;
}

bool numeric_kind(ValueKind k) {
    return k == ValueKind::integer || k == ValueKind::number || k == ValueKind::duration || k == ValueKind::size;
}

// Applies what the text states to the row learned from the default value.
void apply_facts(ParamSpec& row, const DescribedFacts& f) {
    row.restart = f.restart;
    // "Begin with 0 to use octal notation": other numbers are decimal, so any integer is a mode.
    if (row.rule.kind == ValueKind::permission && f.decimal_allowed) row.rule = ValueRule{}, row.rule.kind = ValueKind::integer;
    ValueRule& r = row.rule;
    const std::string def = unquote(row.default_value);
    if (f.boolean && is_bool_spelling(def) && !parse_number(def) && r.kind != ValueKind::boolean) {
        r = ValueRule{};
        r.kind = ValueKind::boolean;
    }
    if (!f.values.empty() && !numeric_kind(r.kind)) {
        bool on_off = std::any_of(f.values.begin(), f.values.end(), [](const std::string& v) {
            std::string l = to_lower(v);
            return l == "on" || l == "off" || l == "true" || l == "false";
        });
        bool all_bool = std::all_of(f.values.begin(), f.values.end(), [](const std::string& v) { return is_bool_spelling(v); });
        if (!all_bool) {
            r = ValueRule{};
            r.kind = ValueKind::enumeration;
            r.enum_values = f.values;
            // A list with on/off takes the system's other spellings of them too.
            if (on_off)
                for (const char* s : {"on", "off", "true", "false", "yes", "no", "1", "0"})
                    if (std::find(r.enum_values.begin(), r.enum_values.end(), s) == r.enum_values.end())
                        r.enum_values.emplace_back(s);
        }
    }
    if (r.kind == ValueKind::integer && f.fraction) r.kind = ValueKind::number;
    // Pages are the system's own size (PostgreSQL's 8 kB blocks): the parameter takes a size,
    // written with a unit or as a bare count of pages, so no bound in bytes can be kept.
    if (f.pages && numeric_kind(r.kind)) {
        r = ValueRule{};
        r.kind = ValueKind::size;
        row.unit.clear();
        return;
    }
    // A bare number in a stated time or size unit: the parameter takes a duration or a size.
    if (r.kind == ValueKind::integer || r.kind == ValueKind::number) {
        std::string u = f.unit;
        if (u.empty())
            for (const auto& b : {f.min, f.max})
                if (!unit_suffix(b).empty() && u.empty()) u = unit_suffix(b);
        if (!u.empty() && is_duration_unit(u)) r.kind = ValueKind::duration, row.unit = is_duration_unit(f.unit) ? f.unit : "";
        else if (!u.empty() && is_size_unit(u)) r.kind = ValueKind::size, row.unit = is_size_unit(f.unit) ? f.unit : "";
    }
    if (!numeric_kind(r.kind)) return;
    // Bounds count in the bare unit: the stated one, else the unit the bounds are written in.
    // A stated unit of the other kind ("in bytes" of a duration) is a misreading: none.
    std::string unit = row.unit.empty() ? f.unit : row.unit;
    auto fits_kind = [&](const std::string& u) {
        return r.kind == ValueKind::duration ? is_duration_unit(u) : r.kind == ValueKind::size ? is_size_unit(u) : true;
    };
    if (!unit.empty() && !fits_kind(unit)) unit.clear(), row.unit.clear();
    if ((r.kind == ValueKind::duration || r.kind == ValueKind::size) && unit.empty()) {
        unit = unit_suffix(f.min).empty() ? unit_suffix(f.max) : unit_suffix(f.min);
        bool fits = r.kind == ValueKind::duration ? is_duration_unit(unit) : is_size_unit(unit);
        if (!fits) unit.clear();
    }
    if ((r.kind == ValueKind::duration || r.kind == ValueKind::size) && unit.empty()) return;  // bounds of no known unit
    if (r.kind == ValueKind::duration || r.kind == ValueKind::size) row.unit = unit, r.unit = unit;
    std::optional<double> lo = f.min.empty() ? std::nullopt : in_unit(f.min, r.kind, unit);
    std::optional<double> hi = f.max.empty() ? std::nullopt : in_unit(f.max, r.kind, unit);
    if (lo && hi && *lo > *hi) return;  // a misread: say nothing
    r.min = lo;
    r.max = hi;
    for (const auto& s : f.special)
        if (auto n = parse_number(s)) r.special.push_back(static_cast<double>(*n));
    // The documented default is valid whatever the bounds say.
    if (auto d = in_unit(def, r.kind, unit); d && ((lo && *d < *lo) || (hi && *d > *hi))) r.special.push_back(*d);
}

bool is_stopword(std::string_view w) {
    static const std::set<std::string_view> kWords = {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "if", "in", "is", "it", "not",
        "of", "on", "or", "so", "that", "the", "this", "to", "when", "will", "with", "you", "your", "we", "but",
        "only", "all", "also", "there", "then", "than", "these", "those", "which", "while", "use", "used", "see",
        "example", "note", "default", "otherwise", "however", "since", "because", "please", "it's", "just"};
    return kWords.count(w) > 0;
}

// Hadoop's *-default.xml files hold the odd `<property>` whose `<name>` is empty (a name that
// was lost in an edit): no parameter to learn, so the block is blanked (its newlines kept, so
// the lines of the others stay the document's) instead of failing the whole document.
std::string without_nameless_properties(std::string text, std::vector<int>* lines) {
    for (size_t at = text.find("<name></name>"); at != std::string::npos; at = text.find("<name></name>", at + 1)) {
        size_t open = text.rfind("<property>", at), close = text.find("</property>", at);
        if (open == std::string::npos || close == std::string::npos) break;
        if (lines) lines->push_back(static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1);
        for (size_t i = open; i < close + 11; ++i)
            if (text[i] != '\n') text[i] = ' ';
    }
    return text;
}

// Whether `rule` accepts the documented default, whole and (for a comma list) item by item,
// so a list rule and a single-value rule both see each item.
bool accepts_default(const ValueRule& rule, std::string_view value, std::string_view format) {
    if (check_value(value, rule, format)) return false;
    std::string v = unquote(trim(value));
    if (v.find(',') == std::string::npos || v.starts_with("{")) return true;
    ValueRule one = rule;
    one.list = false;
    for (const auto& item : split_list(v))
        if (check_value(item, one, format)) return false;
    return true;
}

}  // namespace

DescribedFacts read_description(std::string_view text, std::string_view default_value) {
    DescribedFacts f;
    if (trim(text).empty()) return f;
    const std::string t = lower_collapsed(text);
    const bool short_text = t.size() <= 100;  // a comment, not a paragraph: its bounds are the parameter's
    f.restart = t.find("requires restart") != std::string::npos || t.find("requires a restart") != std::string::npos ||
                t.find("restart required") != std::string::npos;
    static const std::regex kBool("\\b(on/off|off/on|true/false|true or false|on or off)\\b");
    f.boolean = std::regex_search(t, kBool);
    for (std::string_view w : {"fraction", "ratio", "percentage", "percent", "float", "decimal"})
        if (t.find(w) != std::string::npos) f.fraction = true;
    f.pages = t.find("in pages") != std::string::npos;
    static const std::regex kIn("\\b(?:in|of|measured in|unit is|units of) (milliseconds|millis|msec|ms|seconds|secs|sec|"
                                "minutes|hours|days|bytes|kilobytes|kb|megabytes|mb)\\b");
    std::smatch m;
    if (std::regex_search(t, m, kIn)) f.unit = unit_of_word(m[1].str());
    static const std::regex kRange(std::string("\\brange:? ") + kNum + " ?(?:-|to|\\.\\.) ?" + kNum);
    static const std::regex kBetween(std::string("\\bbetween ") + kNum + " and " + kNum + "\\b");
    static const std::regex kLead(std::string("^") + kNum + " ?- ?" + kNum + "(?: ([a-z]+))?(?:[ ,;.)]|$)");
    static const std::regex kMin(std::string("\\b(?:min|minimum|at least) ") + kNum + "(?:[ ,;.)]|$)");
    static const std::regex kMax(std::string("\\b(?:max|maximum|at most) ") + kNum + "(?:[ ,;.)]|$)");
    // A range the text only recommends ("values between 1.0 and 1.4 are recommended") bounds nothing.
    auto advised = [&](const std::smatch& at) {
        size_t from = static_cast<size_t>(at.position(0));
        size_t start = t.rfind(". ", from);
        start = start == std::string::npos ? 0 : start;
        size_t end = t.find(". ", from);
        std::string_view sentence = std::string_view(t).substr(start, end == std::string::npos ? std::string::npos : end - start);
        for (std::string_view w : {"recommend", "typical", "usually", "suggest", "sensible", "reasonable", "good ", "ideal"})
            if (sentence.find(w) != std::string_view::npos) return true;
        return false;
    };
    if (((std::regex_search(t, m, kRange) || std::regex_search(t, m, kBetween)) && !advised(m)) ||
        (short_text && std::regex_search(t, m, kLead))) {
        f.min = m[1].str();
        f.max = m[2].str();
        if (m.size() > 3 && m[3].matched && f.unit.empty()) f.unit = unit_of_word(m[3].str());
    } else if (short_text) {
        if (std::regex_search(t, m, kMin)) f.min = m[1].str();
        if (std::regex_search(t, m, kMax)) f.max = m[1].str();
    }
    // A glued unit ciri cannot read ("10x") is no bound.
    for (std::string* b : {&f.min, &f.max}) {
        std::string u = unit_suffix(*b);
        if (!u.empty() && !is_duration_unit(u) && !is_size_unit(u)) b->clear();
    }
    static const std::regex kSpecial("(?:^|[ (,;])(-?[0-9]+) (?:disables|disable|to|means|is|turns|for|=|sets|"
                                     "uses|logs|selects|lets)\\b");
    for (auto it = std::sregex_iterator(t.begin(), t.end(), kSpecial); it != std::sregex_iterator(); ++it)
        f.special.push_back((*it)[1].str());
    f.decimal_allowed = t.find("octal") != std::string::npos &&
                        (t.find("begin with 0") != std::string::npos || t.find("start with 0") != std::string::npos ||
                         t.find("leading 0") != std::string::npos || t.find("leading zero") != std::string::npos);
    // Control dependencies, with the parameter named as written (keys are case-sensitive).
    static const std::regex kUsedWhen(
        "(?:only (?:used|applies|applicable|relevant|effective|meaningful|honou?red|takes effect|has an effect|"
        "works)(?: if| when)|ignored unless|is used only (?:if|when)|requires) `?([A-Za-z_][A-Za-z0-9_.\\-]*[A-Za-z0-9])`?"
        "(?: (?:is|to be|=|is set to|be set to|are) (?:set to )?`?\"?([A-Za-z0-9_.\\-]+))?",
        std::regex::icase);
    std::string spaced = collapse_whitespace(text);
    for (auto it = std::sregex_iterator(spaced.begin(), spaced.end(), kUsedWhen); it != std::sregex_iterator(); ++it) {
        std::string name = (*it)[1].str(), value = (*it)[2].matched ? (*it)[2].str() : "true";
        while (!value.empty() && value.back() == '.') value.pop_back();  // the sentence's full stop
        while (!name.empty() && name.back() == '.') name.pop_back();
        std::string v = to_lower(value);
        if (v == "enabled" || v == "on" || v == "set" || v == "true" || v == "yes") value = "true";
        if (name.find_first_of("._") == std::string::npos) continue;  // a word, not a key
        f.used_when.emplace_back(name, value);
    }
    f.values = description_enum(text);
    if (!f.values.empty() && !trim(default_value).empty()) {
        std::string def = to_lower(unquote(default_value));
        bool has = std::any_of(f.values.begin(), f.values.end(), [&](const std::string& v) { return to_lower(v) == def; });
        if (!has) f.values.clear();  // a list that leaves out the documented default is not the whole list
    }
    // (A whole list after the last colon holding the default is strict enough at any length.)
    if (f.values.empty()) f.values = listed_with_default(text, default_value);
    return f;
}

std::string uncomment_settings(std::string_view text, std::string_view format) {
    static const std::regex kAssign("^[ \\t]*#[ \\t]*([A-Za-z_][A-Za-z0-9_.\\-]*)[ \\t]*=(.*)$");
    static const std::regex kDirective("^#[ ]?([a-z][a-z0-9]*(?:-[a-z0-9]+)*) ([^ <].*)$");
    static const std::regex kContinued("^[ \\t]+#[ \\t]*(.*)$");
    const bool assign = format == "conf" || format == "properties" || format == "env";
    const bool directive = format == "directives";
    std::vector<std::string> lines;
    size_t setting = std::string::npos;  // the last setting line with a trailing comment
    for (const Line& l : split_lines(text)) {
        std::string line(l.text);
        std::smatch m;
        // An indented comment right under a setting's comment goes on with it ("# -1 is disabled,"
        // then "#   of milliseconds"): joined, so the setting's description is whole; the line
        // stays, blank, so the others keep their numbers.
        if (assign && setting != std::string::npos && std::regex_match(line, m, kContinued)) {
            // One word to a line is a list of values: kept apart as one.
            std::string more(trim(m[1].str()));
            lines[setting] += (is_enum_item(more) ? ", " : " ") + more;
            lines.emplace_back();
            continue;
        }
        setting = std::string::npos;
        if (assign && std::regex_match(line, m, kAssign)) {
            std::string key = m[1].str(), value = m[2].str();
            // A legend ("#  MB = megabytes    s = seconds") has a second `=` before any comment.
            bool legend = value.substr(0, value.find('#')).find(" = ") != std::string::npos;
            if (!legend && key != "include" && key != "include_dir" && key != "include_if_exists")
                line = key + " =" + value;
        } else if (directive && std::regex_match(line, m, kDirective)) {
            std::string key = m[1].str(), rest = m[2].str();
            std::string_view r = trim(rest);
            size_t words = static_cast<size_t>(std::count(r.begin(), r.end(), ' ')) + 1;
            char last = r.empty() ? '.' : r.back();
            bool prose = is_stopword(key) || words > 4 || last == '.' || last == ':' || last == ',' || last == '?' ||
                         key.size() < 4 || key == "include";
            if (!prose) line = key + " " + rest;
        }
        if (!trim(line).starts_with("#") && line.find('#') != std::string::npos) setting = lines.size();
        lines.push_back(std::move(line));
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

Expected<SpecSet> learn_from_defaults(std::string_view text, const DefaultsSource& source, std::vector<int>* nameless) {
    LoadOptions options;
    options.system = source.system;
    options.format = source.format;
    if (options.format.empty())
        if (const SystemInfo* info = find_system(source.system)) options.format = std::string(info->format);
    std::string active = uncomment_settings(text, options.format);
    if (options.format == "hadoop-xml") active = without_nameless_properties(std::move(active), nameless);
    auto file = load_config_bytes(source.document, active, options);
    if (!file) return std::unexpected(file.error());
    SpecSet learned = learn_spec({*file}, source.system);
    SpecSet set;
    set.system = source.system;
    set.sources.push_back(source.document);
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> used_when;
    for (const auto& p : file->params) {
        if (set.params.count(p.key)) continue;  // the first occurrence is the documented one
        ParamSpec row;
        if (auto it = learned.params.find(p.key); it != learned.params.end()) row = it->second;
        else row.rule.kind = ValueKind::string;  // it exists; its default says nothing of its kind
        row.name = p.key;
        // One line, no tabs: a table row holds it (a Python dict's default spans lines).
        row.default_value = collapse_whitespace(trim(unquote(p.value)));
        std::replace(row.default_value.begin(), row.default_value.end(), '\t', ' ');
        // A Python literal is typed as written: `0` documents an int, `0.0` a float.
        if (file->format == "python" && row.rule.kind == ValueKind::number && parse_integer(row.default_value) &&
            row.default_value.find_first_of(".eE") == std::string::npos)
            row.rule.kind = ValueKind::integer;
        // A mapping's default says nothing of a single value's shape.
        if (row.default_value.starts_with("{")) row.rule = ValueRule{}, row.rule.kind = ValueKind::string;
        row.documented = true;
        row.seen = 1;
        DescribedFacts facts = read_description(p.description, p.value);
        apply_facts(row, facts);
        // The documented default is valid: a rule that rejects it was misread, and says nothing.
        if (row.rule.kind != ValueKind::string && !accepts_default(row.rule, p.value, file->format))
            row.rule = ValueRule{}, row.rule.kind = ValueKind::string;
        used_when.emplace_back(p.key, facts.used_when);
        set.params.emplace(p.key, std::move(row));
    }
    // Dependencies on parameters the document has (a name it does not have is no key of it).
    for (const auto& [key, deps] : used_when) {
        for (const auto& [other, value] : deps) {
            if (other == key || !set.params.count(other)) continue;
            // "Enabled" needs a switch, and a stated value must be one the switch takes.
            const ValueRule& want = set.params.at(other).rule;
            if (value == "true" ? want.kind != ValueKind::boolean : want.kind == ValueKind::string || check_value(value, want))
                continue;
            std::string text = key + " requires " + other + "=" + value;
            auto c = parse_constraint(text, key);
            if (!c) continue;
            set.constraints.push_back(*c);
            set.params.at(key).constraints.push_back(text);
        }
    }
    set.bool_spellings = learned.bool_spellings;
    if (source.complete)
        if (auto c = parse_constraint("typos", "*")) set.constraints.push_back(*c);  // written on the `*` row
    return set;
}

std::vector<std::string> documented_dependencies(const ConfigFile& file, const SpecSet& spec) {
    std::vector<std::string> out;
    std::set<std::string> keys;
    for (const auto& p : file.params) keys.insert(p.key);
    for (const auto& c : spec.constraints) {
        if (c.kind != Constraint::Kind::requirement || !keys.count(c.cond_param)) continue;
        const ParamSpec* owner = spec.find(c.owner);
        if (!owner || !owner->documented) continue;
        out.push_back(rules_detail::format("{} takes effect only when {} is {} (the documentation says so)", c.cond_param,
                                           c.need_param, c.need_value.empty() ? std::string("set") : c.need_value));
    }
    return out;
}

std::string defaults_table_header(const DefaultsSource& source, std::string_view how) {
    std::string out = rules_detail::format("# {} {}, learned by `ciri spec learn {}`. Source: {}.\n", source.system,
                                           source.version.empty() ? "(version not given)" : source.version, how,
                                           source.document);
    out += "# Facts only (names, defaults, types, units, ranges, enumerations, restart); no document text.\n";
    return out;
}

}  // namespace ciri
