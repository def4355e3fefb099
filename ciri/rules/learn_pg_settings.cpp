#include "ciri/rules/learn_pg_settings.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "ciri/rules/format.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

constexpr std::array<std::string_view, 8> kColumns = {"name",    "context", "vartype",  "unit",
                                                       "min_val", "max_val", "enumvals", "boot_val"};

// PostgreSQL's boolean spellings, which its enumerations holding on and off also accept.
constexpr std::array<std::string_view, 6> kHiddenBooleans = {"true", "false", "yes", "no", "1", "0"};

std::vector<std::string> split_tabs(std::string_view row) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= row.size(); ++i)
        if (i == row.size() || row[i] == '\t') out.emplace_back(row.substr(start, i - start)), start = i + 1;
    return out;
}

// COPY's text format: `\N` is null; backslash escapes the rest.
std::string unescape(std::string_view field) {
    if (field == "\\N") return {};
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] != '\\' || i + 1 == field.size()) {
            out += field[i];
            continue;
        }
        char c = field[++i];
        out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    }
    return out;
}

// An array literal `{a,"b c",""}` as its items; quoted items may hold commas and escapes.
Expected<std::vector<std::string>> array_items(std::string_view text) {
    std::vector<std::string> items;
    if (text.empty()) return items;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}')
        return std::unexpected(Error{"enumvals is not an array literal {...}"});
    std::string_view body = text.substr(1, text.size() - 2);
    size_t i = 0;
    while (i <= body.size() && !body.empty()) {
        std::string item;
        if (i < body.size() && body[i] == '"') {
            for (++i; i < body.size() && body[i] != '"'; ++i) {
                if (body[i] == '\\' && i + 1 < body.size()) ++i;
                item += body[i];
            }
            if (i >= body.size()) return std::unexpected(Error{"enumvals has an unclosed quote"});
            ++i;
        } else {
            while (i < body.size() && body[i] != ',') item += body[i++];
        }
        items.push_back(item);
        if (i >= body.size()) break;
        if (body[i] != ',') return std::unexpected(Error{"enumvals: expected ',' after a quoted item"});
        ++i;
    }
    return items;
}

// A bound the server prints; one as large as a double can hold is no bound at all.
std::optional<double> bound(const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto n = parse_number(text);
    if (!n || std::fabs(static_cast<double>(*n)) >= 1e300) return std::nullopt;
    return static_cast<double>(*n);
}

}  // namespace

Expected<SpecSet> learn_from_pg_settings(std::string_view text, const DefaultsSource& source) {
    SpecSet set;
    set.system = source.system;
    set.sources.push_back(source.document);
    std::map<std::string, size_t> at;  // column name -> index
    for (const Line& l : split_lines(text)) {
        std::string_view raw = l.text;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (is_blank(raw)) continue;
        auto f = split_tabs(raw);
        auto err = [&](std::string msg) {
            return std::unexpected(Error{std::move(msg), l.number, source.document});
        };
        if (at.empty()) {  // the header row names the columns
            for (size_t i = 0; i < f.size(); ++i) at.emplace(std::string(trim(f[i])), i);
            for (auto c : kColumns)
                if (!at.count(std::string(c)))
                    return err(rules_detail::format("no column '{}': export pg_settings with a header row", c));
            continue;
        }
        auto col = [&](std::string_view c) {
            size_t i = at.at(std::string(c));
            return i < f.size() ? unescape(f[i]) : std::string{};
        };
        if (f.size() < at.size()) return err(rules_detail::format("{} columns where the header has {}", f.size(), at.size()));
        ParamSpec row;
        row.name = col("name");
        if (row.name.empty()) return err("a row has no name");
        const std::string vartype = col("vartype"), unit = col("unit");
        row.default_value = col("boot_val");
        std::replace(row.default_value.begin(), row.default_value.end(), '\t', ' ');
        row.restart = col("context") == "postmaster";
        row.documented = true;
        row.seen = 1;
        ValueRule& r = row.rule;
        if (vartype == "bool") {
            r.kind = ValueKind::boolean;
        } else if (vartype == "enum") {
            auto items = array_items(col("enumvals"));
            if (!items) return err(items.error().message);
            // An enumeration with an empty choice (ssl_max_protocol_version) takes ''; a table's
            // enum column cannot say so, so such a row is a string.
            bool empty_choice = std::count(items->begin(), items->end(), std::string{}) > 0;
            if (!empty_choice) r.enum_values = *items;
            bool switch_like = std::count(r.enum_values.begin(), r.enum_values.end(), "on") &&
                               std::count(r.enum_values.begin(), r.enum_values.end(), "off");
            if (switch_like)
                for (auto b : kHiddenBooleans) r.enum_values.emplace_back(b);
            r.kind = r.enum_values.empty() ? ValueKind::string : ValueKind::enumeration;
        } else if (vartype == "integer" || vartype == "real") {
            // PostgreSQL (12 on) rounds a fractional value of an integer setting
            // (`max_worker_processes = 9.9` starts with 10): a number, as for a real.
            r.kind = ValueKind::number;
            if (!unit.empty()) {
                if (is_duration_unit(unit)) r.kind = ValueKind::duration;
                else if (is_size_unit(unit)) r.kind = ValueKind::size;
                else return err(rules_detail::format("unit '{}' is neither a time nor a size", unit));
                row.unit = r.unit = unit;
            }
            r.min = bound(col("min_val"));
            r.max = bound(col("max_val"));
        } else if (vartype == "string") {
            r.kind = ValueKind::string;
        } else {
            return err(rules_detail::format("unknown vartype '{}'", vartype));
        }
        set.params.emplace(row.name, std::move(row));
    }
    if (at.empty()) return std::unexpected(Error{"no header row: export pg_settings with a header", 0, source.document});
    // PostgreSQL reads on and off as booleans too (is_bool_spelling knows the rest), and refuses
    // an empty value for a bool, number or enumeration ("invalid value for parameter").
    set.bool_spellings = {"off", "on"};
    if (auto c = parse_constraint("empty_refused", "*")) set.constraints.push_back(*c);  // written on the `*` row
    // Its unit spellings are fixed and case-sensitive (the server's memory and time units;
    // pg_settings' own `unit` column uses them): `200MS` and `5m` are refused.
    if (auto c = parse_constraint("units B,kB,MB,GB,TB,us,ms,s,min,h,d", "*")) set.constraints.push_back(*c);
    if (source.complete)
        if (auto c = parse_constraint("typos", "*")) set.constraints.push_back(*c);  // written on the `*` row
    return set;
}

SpecSet merge_program_and_document(SpecSet facts, const SpecSet& document) {
    for (const auto& c : document.constraints) {
        if (c.kind != Constraint::Kind::requirement && c.kind != Constraint::Kind::conflict &&
            c.kind != Constraint::Kind::compare)
            continue;
        // Between parameters the program has: a name it does not list is no setting of it.
        auto row = facts.params.find(c.owner);
        auto names = c.params();
        bool known = std::all_of(names.begin(), names.end(), [&](const std::string& n) { return facts.params.count(n) > 0; });
        if (row == facts.params.end() || !known) continue;
        facts.constraints.push_back(c);
        row->second.constraints.push_back(c.text);
    }
    facts.sources.insert(facts.sources.end(), document.sources.begin(), document.sources.end());
    return facts;
}

}  // namespace ciri
