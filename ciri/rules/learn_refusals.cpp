#include "ciri/rules/learn_refusals.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "parsers/text.hpp"

namespace ciri {

namespace {

struct Probe {
    std::string value;
    std::string message;  // "" = the program took the value
};

// The two whole numbers of "... between A and B inclusive", when the message says so.
std::optional<std::pair<long long, long long>> stated_range(std::string_view m) {
    size_t at = m.find("between ");
    if (at == std::string_view::npos || m.find(" inclusive", at) == std::string_view::npos) return std::nullopt;
    std::string_view rest = m.substr(at + 8);
    size_t sep = rest.find(" and ");
    if (sep == std::string_view::npos) return std::nullopt;
    auto number = [](std::string_view t, long long& out) {
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        return ec == std::errc{} && end != t.data();
    };
    long long lo = 0, hi = 0;
    // An unsigned bound past a long long (18446744073709551615) is no bound a table can hold.
    if (!number(rest.substr(0, sep), lo) || !number(rest.substr(sep + 5), hi)) return std::nullopt;
    return std::pair{lo, hi};
}

// Beyond 2^53 a double rounds, and a rounded bound would refuse the program's own limit.
std::optional<double> exact_bound(long long v) {
    constexpr long long kExact = 1LL << 53;
    if (v > kExact || v < -kExact) return std::nullopt;
    return static_cast<double>(v);
}

std::vector<std::string> listed_values(std::string_view message) {
    constexpr std::string_view kList = "one of the following: ";
    std::vector<std::string> out;
    size_t at = message.find(kList);
    if (at == std::string_view::npos) return out;
    std::string_view rest = message.substr(at + kList.size());
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view v = trim(rest.substr(0, comma));
        if (!v.empty()) out.emplace_back(v);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return out;
}

bool is_typed(ValueKind k) { return k != ValueKind::string && k != ValueKind::any; }

}  // namespace

Expected<SpecSet> learn_from_refusals(std::string_view probes, const DefaultsSource& source) {
    std::map<std::string, std::vector<Probe>> by_name;
    for (const Line& l : split_lines(probes)) {
        if (trim(l.text).empty() || trim(l.text).starts_with("#")) continue;
        std::string_view t = l.text;
        size_t a = t.find('\t');
        size_t b = a == std::string_view::npos ? a : t.find('\t', a + 1);
        if (b == std::string_view::npos || trim(t.substr(0, a)).empty())
            return std::unexpected(Error{"expected `name<TAB>value<TAB>message`", l.number, source.document});
        by_name[std::string(trim(t.substr(0, a)))].push_back(
            {std::string(t.substr(a + 1, b - a - 1)), std::string(trim(t.substr(b + 1)))});
    }
    if (by_name.empty()) return std::unexpected(Error{"no probe lines", 0, source.document});
    SpecSet set;
    set.system = source.system;
    set.sources.push_back(source.document);
    bool empty_refused = false;
    for (const auto& [name, list] : by_name) {
        ParamSpec row;
        row.name = name;
        row.documented = true;
        row.seen = 1;
        ValueRule& r = row.rule;
        r.kind = ValueKind::string;
        // The word probe: the first value that is neither empty nor a number nor several words.
        for (const Probe& p : list) {
            std::string v = unquote(p.value);
            if (v.empty() || v.find(' ') != std::string::npos || parse_number(v)) continue;
            const std::string& m = p.message;
            if (m.find("must be 'yes' or 'no'") != std::string::npos) {
                r.kind = ValueKind::boolean;
            } else if (m.find("couldn't be parsed into an integer") != std::string::npos) {
                r.kind = ValueKind::integer;
            } else if (m.find("must be a memory value") != std::string::npos) {
                r.kind = ValueKind::size;
                row.unit = r.unit = "b";
            } else if (auto values = listed_values(m); !values.empty()) {
                r.kind = ValueKind::enumeration;
                r.enum_values = values;
            }
            break;
        }
        for (const Probe& p : list) {
            std::string v = unquote(p.value);
            if (r.kind == ValueKind::enumeration && v.find(' ') != std::string::npos && p.message.empty()) {
                r.kind = ValueKind::string;  // takes several of its words at once: not one value
                r.enum_values.clear();
            }
            if (auto range = stated_range(p.message);
                range && (r.kind == ValueKind::integer || r.kind == ValueKind::size)) {
                r.min = exact_bound(range->first);
                r.max = exact_bound(range->second);
            }
            // A negative number refused as no memory value: sizes are unsigned.
            if (r.kind == ValueKind::size && !r.min && v.starts_with('-') && parse_number(v) &&
                p.message.find("memory value") != std::string::npos)
                r.min = 0.0;
        }
        // A fraction refused as no memory value: the program reads whole sizes only (memtoull).
        for (const Probe& p : list)
            if (r.kind == ValueKind::size && unquote(p.value).find('.') != std::string::npos && parse_number(unquote(p.value)) &&
                p.message.find("memory value") != std::string::npos)
                if (auto c = parse_constraint("args size", name)) {
                    row.constraints.push_back(c->text);
                    set.constraints.push_back(*c);
                    break;
                }
        if (is_typed(r.kind))
            for (const Probe& p : list)
                if (unquote(p.value).empty()) {
                    if (p.message.empty()) r.enum_values.push_back("''");
                    else empty_refused = true;
                }
        set.params.emplace(name, std::move(row));
    }
    if (empty_refused)
        if (auto c = parse_constraint("empty_refused", "*")) set.constraints.push_back(*c);  // the `*` row's
    if (source.complete)
        if (auto c = parse_constraint("typos", "*")) set.constraints.push_back(*c);
    return set;
}

SpecSet overlay_refusals(SpecSet document, const SpecSet& refusals) {
    for (const auto& [name, learned] : refusals.params) {
        auto it = document.params.find(name);
        if (it == document.params.end()) {
            document.params.emplace(name, learned);
            continue;
        }
        if (!is_typed(learned.rule.kind)) continue;  // the program said nothing of its kind
        ParamSpec& row = it->second;
        // A port stays a port (its range is the program's too); a bare number keeps the unit
        // the document gives it when the program names none.
        ValueKind kind = row.rule.kind == ValueKind::port && learned.rule.kind == ValueKind::integer
                             ? ValueKind::port : learned.rule.kind;
        if (!learned.unit.empty()) row.unit = learned.unit;
        row.rule = learned.rule;
        row.rule.kind = kind;
        row.rule.unit = row.unit;
        for (const auto& c : learned.constraints)  // the refusals' own (added to the set below)
            if (std::find(row.constraints.begin(), row.constraints.end(), c) == row.constraints.end())
                row.constraints.push_back(c);
    }
    SpecSet star;  // the refusals' system-wide facts, added to the document's
    star.constraints = refusals.constraints;
    document.merge(star);
    return document;
}

}  // namespace ciri
