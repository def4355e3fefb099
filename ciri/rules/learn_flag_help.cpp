#include "ciri/rules/learn_flag_help.hpp"

#include <map>
#include <set>

#include "ciri/rules/format.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_flag_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool is_unsigned(std::string_view type) {
    return type == "uint" || type == "uint8" || type == "uint16" || type == "uint32" || type == "uint64";
}

// The largest value of Go's narrow unsigned types; a 64-bit one has none a table's double
// holds exactly, so it gets none.
std::optional<double> unsigned_max(std::string_view type) {
    if (type == "uint8") return 255.0;
    if (type == "uint16") return 65535.0;
    if (type == "uint32") return 4294967295.0;
    return std::nullopt;
}

}  // namespace

std::vector<HelpFlag> parse_flag_help(std::string_view text) {
    std::vector<HelpFlag> flags;
    HelpFlag* current = nullptr;
    for (const Line& l : split_lines(text)) {
        std::string_view raw = l.text;
        std::string_view t = trim(raw);
        bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
        if (indented && t.starts_with("--") && t.size() > 2 && std::isalnum(static_cast<unsigned char>(t[2]))) {
            size_t end = 2;
            while (end < t.size() && is_flag_char(t[end])) ++end;
            HelpFlag f;
            f.name = std::string(t.substr(2, end - 2));
            std::string_view rest = trim(t.substr(end));
            if (rest.starts_with("=")) rest = trim(rest.substr(1));
            f.default_value = unquote(rest);
            f.line = l.number;
            flags.push_back(std::move(f));
            current = &flags.back();
            continue;
        }
        if (!indented || t.empty()) {
            current = nullptr;  // a section title or a blank line ends a description
            continue;
        }
        if (current) current->description += (current->description.empty() ? "" : " ") + std::string(t);
    }
    // Each name once: the first listing wins.
    std::vector<HelpFlag> out;
    std::set<std::string> kept;
    for (auto& f : flags)
        if (kept.insert(f.name).second) out.push_back(std::move(f));
    return out;
}

Expected<SpecSet> learn_from_flag_help(std::string_view help, const DefaultsSource& source, std::string_view types) {
    std::map<std::string, std::string> type_of;
    for (const Line& l : split_lines(types)) {
        std::string_view t = trim(l.text);
        if (t.empty() || t.starts_with("#")) continue;
        size_t tab = t.find('\t');
        if (tab == std::string_view::npos || trim(t.substr(0, tab)).empty() || trim(t.substr(tab + 1)).empty())
            return std::unexpected(Error{"expected `name<TAB>type`", l.number, "--flag-types"});
        type_of[std::string(trim(t.substr(0, tab)))] = std::string(trim(t.substr(tab + 1)));
    }
    auto flags = parse_flag_help(help);
    if (flags.empty()) return std::unexpected(Error{"no `--flag` lines: is this a --help listing?", 0, source.document});
    SpecSet set;
    set.system = source.system;
    set.sources.push_back(source.document);
    for (const auto& f : flags) {
        ParamSpec row;
        row.name = f.name;
        row.default_value = f.default_value;
        row.documented = true;
        row.seen = 1;
        ValueRule& r = row.rule;
        r.kind = ValueKind::string;
        auto it = type_of.find(f.name);
        std::string_view type = it == type_of.end() ? std::string_view{} : std::string_view(it->second);
        std::string low = to_lower(f.default_value);
        if (type == "bool" || (type.empty() && (low == "true" || low == "false"))) {
            r.kind = ValueKind::boolean;
        } else if (type == "int" || type == "int64" || type == "int32") {
            r.kind = ValueKind::integer;
            r.int32 = type == "int32";
        } else if (is_unsigned(type)) {
            r.kind = ValueKind::integer;
            r.min = 0.0;
            r.max = unsigned_max(type);
        } else if (type == "time.Duration") {
            r.kind = ValueKind::integer;
            row.unit = "ns";  // a count of nanoseconds: what the file must write, default included
            if (auto ms = duration_ms(f.default_value)) row.default_value = rules_detail::format("{}", static_cast<long long>(*ms * 1e6L));
        }
        // "Time (in milliseconds) of ...": what a bare number counts in.
        if (r.kind == ValueKind::integer && row.unit.empty()) row.unit = read_description(f.description, f.default_value).unit;
        set.params.emplace(row.name, std::move(row));
    }
    // The types are what the program decodes its file into: a quoted value is a string there.
    if (!type_of.empty())
        if (auto c = parse_constraint("quoted_is_string", "*")) set.constraints.push_back(*c);  // the `*` row's
    if (source.complete)
        if (auto c = parse_constraint("typos", "*")) set.constraints.push_back(*c);  // written on the `*` row
    return set;
}

}  // namespace ciri
