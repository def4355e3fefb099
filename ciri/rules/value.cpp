#include "ciri/rules/value.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include "ciri/rules/format.hpp"

#include "parsers/text.hpp"

namespace ciri {

namespace {

// The number spelled by `digits` (checked by the caller): +-inf past long double's range
// instead of std::stold's exception, so a 50,000-digit value is just very large.
long double to_number(const std::string& digits) { return std::strtold(digits.c_str(), nullptr); }

struct KindName {
    ValueKind kind;
    std::string_view name;
};

// The first spelling of each kind is the one written; the others are read as synonyms.
constexpr KindName kKindNames[] = {
    {ValueKind::any, "any"},           {ValueKind::boolean, "bool"},
    {ValueKind::boolean, "boolean"},   {ValueKind::integer, "int"},
    {ValueKind::integer, "integer"},   {ValueKind::integer, "long"},
    {ValueKind::number, "float"},      {ValueKind::number, "double"},
    {ValueKind::number, "number"},     {ValueKind::duration, "duration"},
    {ValueKind::duration, "time"},     {ValueKind::size, "size"},
    {ValueKind::path, "path"},         {ValueKind::url, "url"},
    {ValueKind::url, "uri"},           {ValueKind::host, "host"},
    {ValueKind::ip, "ip"},             {ValueKind::host_port, "host_port"},
    {ValueKind::port, "port"},         {ValueKind::permission, "permission"},
    {ValueKind::permission, "umask"},  {ValueKind::class_name, "class"},
    {ValueKind::enumeration, "enum"},  {ValueKind::string, "string"},
    {ValueKind::string, "str"},
};

// Units as people write them; matched case-insensitively. Java, Go, Hadoop, PostgreSQL and
// Alluxio spellings are all here, so a unit one system accepts is never called wrong.
struct Unit {
    std::string_view name;
    long double factor;  // to milliseconds or bytes
};
constexpr Unit kDurationUnits[] = {
    {"ns", 1e-6L},     {"nanos", 1e-6L},     {"nanosecond", 1e-6L}, {"nanoseconds", 1e-6L},
    {"us", 1e-3L},     {"micros", 1e-3L},    {"microsecond", 1e-3L}, {"microseconds", 1e-3L},
    {"ms", 1},         {"msec", 1},          {"msecs", 1},          {"millis", 1},
    {"milli", 1},      {"millisecond", 1},   {"milliseconds", 1},   {"s", 1e3L},
    {"sec", 1e3L},     {"secs", 1e3L},       {"second", 1e3L},      {"seconds", 1e3L},
    {"m", 6e4L},       {"min", 6e4L},        {"mins", 6e4L},        {"minute", 6e4L},
    {"minutes", 6e4L}, {"h", 3.6e6L},        {"hr", 3.6e6L},        {"hrs", 3.6e6L},
    {"hour", 3.6e6L},  {"hours", 3.6e6L},    {"d", 8.64e7L},        {"day", 8.64e7L},
    {"days", 8.64e7L}, {"w", 6.048e8L},      {"week", 6.048e8L},    {"weeks", 6.048e8L},
};
constexpr long double kKi = 1024;
constexpr Unit kSizeUnits[] = {
    {"b", 1},
    {"byte", 1},
    {"bytes", 1},
    {"k", kKi},
    {"kb", kKi},
    {"kib", kKi},
    {"m", kKi * kKi},
    {"mb", kKi * kKi},
    {"mib", kKi * kKi},
    {"g", kKi * kKi * kKi},
    {"gb", kKi * kKi * kKi},
    {"gib", kKi * kKi * kKi},
    {"t", kKi * kKi * kKi * kKi},
    {"tb", kKi * kKi * kKi * kKi},
    {"tib", kKi * kKi * kKi * kKi},
    {"p", kKi * kKi * kKi * kKi * kKi},
    {"pb", kKi * kKi * kKi * kKi * kKi},
    {"pib", kKi * kKi * kKi * kKi * kKi},
    // Kubernetes quantities write binary units without the B.
    {"ki", kKi},
    {"mi", kKi * kKi},
    {"gi", kKi * kKi * kKi},
    {"ti", kKi * kKi * kKi * kKi},
};

template <size_t N>
const Unit* find_unit(const Unit (&units)[N], std::string_view name) {
    std::string low = to_lower(name);
    for (const Unit& u : units)
        if (u.name == low) return &u;
    return nullptr;
}

// The factor of a unit a table names, to ms or bytes; a unit may carry a whole multiplier
// (`8kB`: PostgreSQL counts shared_buffers in pages of 8kB). nullopt when unknown.
template <size_t N>
std::optional<long double> unit_factor(const Unit (&units)[N], std::string_view name) {
    size_t digits = 0;
    while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
    long double times = 1;
    if (digits > 0) {
        if (digits > 9 || digits == name.size()) return std::nullopt;
        times = std::stold(std::string(name.substr(0, digits)));
        if (times == 0) return std::nullopt;
    }
    const Unit* u = find_unit(units, name.substr(digits));
    if (!u) return std::nullopt;
    return times * u->factor;
}

bool all_of(std::string_view s, int (*pred)(int)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)); });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == sep) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

std::string fmt_number(long double v) {
    if (std::fabs(v) < 1e18L && v == std::floor(v)) return rules_detail::format("{}", static_cast<long long>(v));
    return rules_detail::format("{}", static_cast<double>(v));
}

// A number the value equals that the rule accepts whatever the bounds say.
bool is_special(const ValueRule& rule, long double v) {
    return std::any_of(rule.special.begin(), rule.special.end(),
                       [&](double s) { return std::fabs(static_cast<long double>(s) - v) < 1e-9L; });
}

std::optional<ValueProblem> check_bounds(std::string_view shown, long double v, const ValueRule& rule,
                                         std::string_view unit, std::string subcategory) {
    if (is_special(rule, v)) return std::nullopt;
    std::string suffix = unit.empty() ? "" : " " + std::string(unit);
    if (rule.min && v < *rule.min)
        return ValueProblem{rules_detail::format("'{}' is below the minimum {}{}", shown, fmt_number(*rule.min), suffix),
                            1.0, subcategory};
    if (rule.max && v > *rule.max)
        return ValueProblem{rules_detail::format("'{}' is above the maximum {}{}", shown, fmt_number(*rule.max), suffix),
                            1.0, subcategory};
    return std::nullopt;
}

// `0600` read as C reads it, in octal; nullopt unless the text is a 0 and octal digits.
std::optional<long double> octal_reading(std::string_view v) {
    if (v.size() < 2 || v[0] != '0' || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '7'; }))
        return std::nullopt;
    long double n = 0;
    for (char c : v) n = n * 8 + (c - '0');
    return n;
}

// Bounds of a plain number. A leading 0 is octal to C's strtol (PostgreSQL reads
// `log_file_mode = 0600` as 384) and decimal to Java: out of range only when both readings are.
std::optional<ValueProblem> check_number_bounds(std::string_view v, long double n, const ValueRule& rule) {
    auto problem = check_bounds(v, n, rule, "", "Basic Numeric");
    if (auto octal = octal_reading(v); problem && octal && !check_bounds(v, *octal, rule, "", "Basic Numeric"))
        return std::nullopt;
    return problem;
}

bool is_negative_fraction(std::string_view v) {
    auto n = parse_number(v);
    return n && *n < 0 && *n != std::floor(*n);
}

std::optional<ValueProblem> check_quantity(std::string_view v, const ValueRule& rule, bool duration) {
    std::string_view what = duration ? "a duration" : "a size";
    std::string_view units = duration ? duration_units_text() : size_units_text();
    if (is_negative_fraction(v))
        return ValueProblem{rules_detail::format("'{}' is not {}: it is negative and not whole", v, what), 0.9,
                            "Data Type"};
    std::optional<long double> amount;
    if (auto n = parse_integer(v)) {
        amount = *n;
    } else if (auto n = parse_number(v)) {
        amount = *n;
    } else {
        auto q = split_quantity(v);
        if (!q) return ValueProblem{rules_detail::format("'{}' is not {}: expected a number with an optional unit ({})", v, what, units), 1.0, "Data Type"};
        bool known = duration ? is_duration_unit(q->unit) : is_size_unit(q->unit);
        if (!known)
            return ValueProblem{rules_detail::format("'{}' is not {}: '{}' is not a unit; valid units are {}", v, what, q->unit, units),
                                1.0, "Data Type"};
        // A system that names its spellings compares them exactly: PostgreSQL refuses `200MS`.
        if (!rule.units.empty() && std::find(rule.units.begin(), rule.units.end(), q->unit) == rule.units.end()) {
            std::string accepted;
            for (const auto& u : rule.units)
                if (duration ? is_duration_unit(u) : is_size_unit(u)) accepted += (accepted.empty() ? "" : ", ") + u;
            return ValueProblem{rules_detail::format("'{}' is not {} here: '{}' is not one of the unit spellings this system "
                                                     "accepts, which are case-sensitive: {}", v, what, q->unit, accepted),
                                1.0, "Data Type"};
        }
        // Bounds are in the rule's bare unit; convert the written unit to it.
        if (rule.min || rule.max) {
            auto base = duration ? duration_ms(v) : size_bytes(v);
            std::string bare = rule.unit.empty() ? (duration ? "ms" : "b") : rule.unit;
            auto per = duration ? duration_ms("1", bare) : size_bytes("1", bare);
            if (base && per && *per != 0) amount = *base / *per;
        }
    }
    if (amount) return check_bounds(v, *amount, rule, "", "Basic Numeric");
    return std::nullopt;
}

std::optional<ValueProblem> check_ipv4ish(std::string_view host) {
    // A host made of numbers and dots is meant as an IPv4 address; hostnames cannot end in
    // an all-numeric label, so it must be a valid one.
    auto parts = split(host, '.');
    bool four_numbers = parts.size() == 4 && std::all_of(parts.begin(), parts.end(), [](std::string_view p) {
                            if (!p.empty() && p[0] == '-') p.remove_prefix(1);
                            return all_of(p, isdigit);
                        });
    if (four_numbers)
        return ValueProblem{rules_detail::format("'{}' is not an IPv4 address: each of the four parts must be 0-255", host),
                            1.0, "IP Address"};
    return ValueProblem{rules_detail::format("'{}' is not an IP address: an IPv4 address has four parts 0-255, as 10.0.0.1", host),
                        1.0, "IP Address"};
}

std::optional<ValueProblem> check_port_number(std::string_view v, const ValueRule& rule) {
    auto n = parse_integer(v);
    if (!n)
        return ValueProblem{rules_detail::format("'{}' is not a port: a port is a whole number 0-65535", v), 1.0, "Port"};
    if (is_special(rule, *n)) return std::nullopt;
    long double lo = rule.min ? *rule.min : 0, hi = rule.max ? *rule.max : 65535;
    if (*n < lo || *n > hi)
        return ValueProblem{rules_detail::format("'{}' is out of the port range {}-{}", v, fmt_number(lo), fmt_number(hi)), 1.0,
                            "Port"};
    return std::nullopt;
}

std::optional<ValueProblem> check_port(std::string_view v, const ValueRule& rule) {
    // Port ranges (`50000-50100`) are two ports.
    size_t dash = v.find('-', 1);
    if (dash != std::string_view::npos && all_of(v.substr(0, dash), isdigit)) {
        if (auto p = check_port_number(v.substr(0, dash), rule)) return p;
        return check_port_number(v.substr(dash + 1), rule);
    }
    return check_port_number(v, rule);
}

std::optional<ValueProblem> check_host(std::string_view v, const ValueRule& rule, bool port_required) {
    // Several words (`* rw`, `host1 host2`) are another syntax (export rules, lists).
    if (v.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
    std::string_view host = v, port;
    if (v.size() > 1 && v.front() == '[') {
        size_t close = v.find(']');
        if (close == std::string_view::npos)
            return ValueProblem{rules_detail::format("'{}' is not an address: '[' without ']'", v), 1.0, "IP Address"};
        host = v.substr(1, close - 1);
        if (close + 1 < v.size()) {
            if (v[close + 1] != ':')
                return ValueProblem{rules_detail::format("'{}' is not an address: expected ':port' after ']'", v), 1.0, "IP Address"};
            port = v.substr(close + 2);
        }
        if (!is_ipv6(host))
            return ValueProblem{rules_detail::format("'{}' is not an IPv6 address", host), 1.0, "IP Address"};
    } else if (std::count(v.begin(), v.end(), ':') == 1) {
        size_t colon = v.find(':');
        host = v.substr(0, colon);
        port = v.substr(colon + 1);
    } else if (v.find(':') != std::string_view::npos) {
        if (is_ipv6(v)) return std::nullopt;
        return ValueProblem{rules_detail::format("'{}' is not an IPv6 address", v), 1.0, "IP Address"};
    }
    if (!port.empty()) {
        ValueRule pr;
        if (auto p = check_port_number(port, pr)) {
            p->reason = rules_detail::format("in '{}': {}", v, p->reason);
            return p;
        }
    } else if (port_required) {
        return ValueProblem{rules_detail::format("'{}' has no port: expected host:port", v), 0.9, "Port"};
    }
    (void)rule;
    if (host.empty() || host == "*" || is_ipv4(host) || is_ipv6(host)) return std::nullopt;
    bool numeric_like = std::all_of(host.begin(), host.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    });
    if (numeric_like && host.find('.') != std::string_view::npos) return check_ipv4ish(host);
    if (is_hostname(host)) return std::nullopt;
    bool dotted_numbers = std::count(host.begin(), host.end(), '.') >= 3;
    return ValueProblem{rules_detail::format("'{}' is neither an IP address nor a hostname", host), dotted_numbers ? 1.0 : 0.8,
                        "IP Address"};
}

std::optional<ValueProblem> check_path(std::string_view v) {
    std::string_view p = v;
    // Storage tags as in `[DISK]/data/1`.
    if (!p.empty() && p.front() == '[') {
        size_t close = p.find(']');
        if (close != std::string_view::npos) p.remove_prefix(close + 1);
    }
    size_t scheme_end = p.find("://");
    if (scheme_end != std::string_view::npos) {
        std::string_view rest = p.substr(scheme_end + 3);
        size_t slash = rest.find('/');
        p = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    } else if (p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':') {
        return std::nullopt;  // a Windows drive path
    } else if (size_t colon = p.find(':'); colon != std::string_view::npos && colon > 1 &&
               p.substr(colon).starts_with("::") &&
               std::all_of(p.begin(), p.begin() + colon, [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
        return ValueProblem{rules_detail::format("'{}' is not a well-formed path or URL: '{}:' is followed by ':'", v, p.substr(0, colon)),
                            0.9, "URL"};
    }
    if (p.find('\\') != std::string_view::npos && p.find('/') != std::string_view::npos)
        return ValueProblem{rules_detail::format("'{}' is not a well-formed path: it mixes '\\' into a '/' path", v), 0.9,
                            "Path"};
    if (p.find("//") != std::string_view::npos)
        return ValueProblem{rules_detail::format("'{}' is not a well-formed path: it has an empty component ('//')", v), 0.9,
                            "Path"};
    return std::nullopt;
}

std::optional<ValueProblem> check_url(std::string_view v, const ValueRule& rule) {
    size_t colon = v.find(':');
    bool has_scheme = colon != std::string_view::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(v[0])) &&
                      std::all_of(v.begin(), v.begin() + colon, [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '-';
                      });
    if (has_scheme) {
        std::string_view scheme = v.substr(0, colon), rest = v.substr(colon + 1);
        if (rest.empty() || rest.front() == ':')
            return ValueProblem{rules_detail::format("'{}' is not a URL: nothing valid follows '{}:'", v, scheme), 1.0, "URL"};
        if (to_lower(scheme) == "file" && rest.front() != '/')
            return ValueProblem{rules_detail::format("'{}' is not a file URL: the path after 'file:' must start with '/'", v),
                                1.0, "URL"};
        if (rest.starts_with("//")) {
            std::string_view after = rest.substr(2);
            if (auto p = check_path(after.substr(std::min(after.find('/'), after.size())))) {
                p->reason = rules_detail::format("'{}' is not a well-formed URL: its path has an empty component ('//')", v);
                p->subcategory = "URL";
                return p;
            }
        }
        return std::nullopt;
    }
    size_t slashes = v.find("//");
    if (slashes != std::string_view::npos && slashes > 0 &&
        std::all_of(v.begin(), v.begin() + slashes, [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
        return ValueProblem{rules_detail::format("'{}' is not a URL: '{}' lacks the ':' after the scheme (did you mean '{}:{}'?)",
                                        v, v.substr(0, slashes), v.substr(0, slashes), v.substr(slashes)),
                            1.0, "URL"};
    }
    if (rule.scheme_required)
        return ValueProblem{rules_detail::format("'{}' is not a URL: it has no scheme (such as file:// or http://)", v), 0.9, "URL"};
    if (auto p = check_path(v)) {
        p->subcategory = "URL";
        return p;
    }
    return std::nullopt;
}

std::optional<ValueProblem> check_one(std::string_view v, const ValueRule& rule, std::string_view format) {
    // Words a numeric rule accepts (`auto`, `unlimited`).
    if (rule.kind != ValueKind::enumeration && rule.kind != ValueKind::class_name) {
        std::string low = to_lower(v);
        for (const auto& e : rule.enum_values)
            if (to_lower(e) == low) return std::nullopt;
    }
    switch (rule.kind) {
        case ValueKind::any:
        case ValueKind::string:
            return std::nullopt;
        case ValueKind::boolean: {
            // A system that takes only its own spellings (bools_exact) refuses the other usual ones.
            const bool exact = rule.bools_exact && !rule.bool_spellings.empty();
            if (!exact && is_bool_spelling(v, format)) return std::nullopt;
            std::string low = to_lower(v);
            for (const auto& s : rule.bool_spellings)
                if (to_lower(s) == low) return std::nullopt;
            std::string_view use = format == "python" ? "True or False" : "true or false";
            return ValueProblem{rules_detail::format("'{}' is not a boolean: use {}", v, use), 1.0, "Bool"};
        }
        case ValueKind::integer: {
            auto n = parse_integer(v);
            // Whole numbers in exponent notation (`5e8`, common in JSON) are integers; in
            // formats with typed numbers (JSON, YAML, TOML) so is an integral float
            // (`500000000.0`): their readers hand the system a number, which it takes.
            bool typed_numbers = format == "json" || format == "yaml" || format == "toml";
            if (!n && (typed_numbers || v.find_first_of("eE") != std::string_view::npos))
                if (auto x = parse_number(v); x && *x == std::floor(*x)) n = x;
            if (!n) {
                bool decimal = parse_number(v).has_value();
                return ValueProblem{rules_detail::format("'{}' is not an integer{}", v, decimal ? ": it has a fractional part" : ""),
                                    1.0, "Data Type"};
            }
            if (rule.int32 && !is_special(rule, *n) && (*n > 2147483647.0L || *n < -2147483648.0L))
                return ValueProblem{rules_detail::format("'{}' does not fit a 32-bit integer (at most 2147483647)", v), 0.9,
                                    "Basic Numeric"};
            return check_number_bounds(v, *n, rule);
        }
        case ValueKind::number: {
            auto n = parse_number(v);
            if (!n) return ValueProblem{rules_detail::format("'{}' is not a number", v), 1.0, "Data Type"};
            return check_number_bounds(v, *n, rule);
        }
        case ValueKind::duration:
            return check_quantity(v, rule, true);
        case ValueKind::size:
            return check_quantity(v, rule, false);
        case ValueKind::path:
            return check_path(v);
        case ValueKind::url:
            return check_url(v, rule);
        case ValueKind::host:
        case ValueKind::ip:
            return check_host(v, rule, false);
        case ValueKind::host_port: {
            // host:port values may carry a scheme (`hdfs://nn:8020`).
            size_t scheme = v.find("://");
            std::string_view hp = scheme == std::string_view::npos ? v : v.substr(scheme + 3);
            hp = hp.substr(0, hp.find('/'));
            return check_host(hp, rule, true);
        }
        case ValueKind::port:
            return check_port(v, rule);
        case ValueKind::permission: {
            if (is_permission(v)) return std::nullopt;
            if (all_of(v, isdigit))
                return ValueProblem{rules_detail::format("'{}' is not an octal permission: each digit must be 0-7", v), 1.0,
                                    "Permission"};
            return ValueProblem{rules_detail::format("'{}' is not a permission: use octal such as 0755 or 022, or symbolic "
                                            "such as u=rwx,g=rx,o=",
                                            v),
                                1.0, "Permission"};
        }
        case ValueKind::class_name:
            if (is_class_name(v)) return std::nullopt;
            return ValueProblem{rules_detail::format("'{}' is not a class name: expected a fully qualified name such as "
                                            "org.example.Foo",
                                            v),
                                0.8, "Enum"};
        case ValueKind::enumeration: {
            if (rule.enum_values.empty()) return std::nullopt;
            std::string low = to_lower(v);
            std::string all, other_case;
            for (const auto& e : rule.enum_values) {
                if (e == v) return std::nullopt;
                if (to_lower(e) == low) {
                    if (!rule.case_sensitive) return std::nullopt;
                    other_case = e;
                }
                all += (all.empty() ? "" : ", ") + e;
            }
            if (!other_case.empty())
                return ValueProblem{rules_detail::format("'{}' is not one of the accepted values: they are case-sensitive "
                                                         "here; did you mean '{}'?",
                                                         v, other_case),
                                    1.0, "Enum"};
            return ValueProblem{rules_detail::format("'{}' is not one of the accepted values: {}", v, all), 1.0, "Enum"};
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(ValueKind kind) {
    for (const auto& k : kKindNames)
        if (k.kind == kind) return k.name;
    return "any";
}

std::optional<ValueKind> value_kind_from_string(std::string_view name) {
    std::string low = to_lower(trim(name));
    for (const auto& k : kKindNames)
        if (k.name == low) return k.kind;
    return std::nullopt;
}

std::string unquote(std::string_view value) {
    value = trim(value);
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front())
        return std::string(value.substr(1, value.size() - 2));
    return std::string(value);
}

bool is_unjudgeable(std::string_view value) {
    std::string_view v = trim(value);
    if (v == "None" || v == "null" || v == "~" || v == "NULL") return true;
    return v.find("${") != std::string_view::npos || v.find("%(") != std::string_view::npos ||
           v.find("{{") != std::string_view::npos || (!v.empty() && v.front() == '$');
}

std::vector<std::string> split_list(std::string_view value) {
    std::string_view v = trim(value);
    if (v.size() >= 2 && ((v.front() == '[' && v.back() == ']') || (v.front() == '(' && v.back() == ')')))
        v = v.substr(1, v.size() - 2);
    std::vector<std::string> out;
    for (std::string_view item : split(v, ',')) {
        std::string s = unquote(trim(item));
        if (!trim(s).empty()) out.push_back(std::string(trim(s)));
    }
    return out;
}

std::optional<long double> parse_integer(std::string_view text) {
    std::string_view t = trim(text);
    if (t.empty()) return std::nullopt;
    // Python integer arithmetic (`60 * 60 * 24`): sums of products of integers.
    if (t.find_first_of("*+") != std::string_view::npos &&
        t.find_first_not_of("0123456789 *+-_") == std::string_view::npos) {
        long double total = 0, term = 1;
        int sign = 1;
        std::string num;
        bool expect_number = true;
        for (char c : std::string(t) + "+") {
            if (c == ' ' || c == '_') continue;
            if (std::isdigit(static_cast<unsigned char>(c))) {
                num += c;
                expect_number = false;
                continue;
            }
            if (expect_number && c == '-' && num.empty()) {
                sign = -sign;
                continue;
            }
            if (num.empty()) return std::nullopt;
            term *= to_number(num);
            num.clear();
            expect_number = true;
            if (c == '*') continue;
            total += sign * term;
            term = 1;
            sign = c == '-' ? -1 : 1;
        }
        return total;
    }
    size_t i = 0;
    if (t[0] == '+' || t[0] == '-') i = 1;
    if (i == t.size()) return std::nullopt;
    std::string digits;
    for (; i < t.size(); ++i) {
        char c = t[i];
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        else if (c == '_' && !digits.empty() && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i + 1]))) continue;
        else return std::nullopt;
    }
    long double n = to_number(digits);
    return t[0] == '-' ? -n : n;
}

std::optional<long double> parse_number(std::string_view text) {
    std::string_view t = trim(text);
    if (!t.empty() && (t.back() == 'f' || t.back() == 'F' || t.back() == 'd' || t.back() == 'D')) t.remove_suffix(1);
    if (t.empty()) return std::nullopt;
    size_t i = 0;
    if (t[i] == '+' || t[i] == '-') ++i;
    bool digits = false, dot = false;
    for (; i < t.size(); ++i) {
        char c = t[i];
        if (std::isdigit(static_cast<unsigned char>(c))) digits = true;
        else if (c == '.' && !dot) dot = true;
        else break;
    }
    if (!digits) return std::nullopt;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (i == t.size()) return std::nullopt;
        for (; i < t.size(); ++i)
            if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    }
    if (i != t.size()) return std::nullopt;
    return to_number(std::string(t));
}

bool is_bool_spelling(std::string_view text, std::string_view format) {
    std::string_view t = trim(text);
    if (format == "python") return t == "True" || t == "False";
    static constexpr std::array<std::string_view, 8> kSpellings = {"true", "false", "yes", "no", "on", "off", "1", "0"};
    std::string low = to_lower(t);
    return std::find(kSpellings.begin(), kSpellings.end(), low) != kSpellings.end();
}

std::optional<Quantity> split_quantity(std::string_view text) {
    std::string_view t = trim(text);
    size_t i = 0;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    size_t start_digits = i;
    while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
    if (i == start_digits) return std::nullopt;
    auto number = parse_number(t.substr(0, i));
    if (!number) return std::nullopt;
    std::string_view unit = trim(t.substr(i));
    if (unit.empty() || !all_of(unit, isalpha)) return std::nullopt;
    return Quantity{*number, std::string(unit)};
}

std::optional<long double> duration_ms(std::string_view text, std::string_view bare_unit) {
    if (auto n = parse_number(text)) {
        auto f = unit_factor(kDurationUnits, bare_unit);
        return f ? std::optional<long double>(*n * *f) : std::nullopt;
    }
    auto q = split_quantity(text);
    if (!q) return std::nullopt;
    const Unit* u = find_unit(kDurationUnits, q->unit);
    if (!u) return std::nullopt;
    return q->number * u->factor;
}

std::optional<long double> size_bytes(std::string_view text, std::string_view bare_unit) {
    if (auto n = parse_number(text)) {
        auto f = unit_factor(kSizeUnits, bare_unit);
        return f ? std::optional<long double>(*n * *f) : std::nullopt;
    }
    auto q = split_quantity(text);
    if (!q) return std::nullopt;
    const Unit* u = find_unit(kSizeUnits, q->unit);
    if (!u) return std::nullopt;
    return q->number * u->factor;
}

bool is_duration_unit(std::string_view unit) { return unit_factor(kDurationUnits, unit).has_value(); }

bool is_size_unit(std::string_view unit) { return unit_factor(kSizeUnits, unit).has_value(); }

bool is_ipv4(std::string_view text) {
    auto parts = split(text, '.');
    if (parts.size() != 4) return false;
    for (auto p : parts) {
        if (p.empty() || p.size() > 3 || !all_of(p, isdigit)) return false;
        if (std::stoi(std::string(p)) > 255) return false;
    }
    return true;
}

bool is_ipv6(std::string_view text) {
    std::string_view t = text;
    if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
    if (size_t pct = t.find('%'); pct != std::string_view::npos) t = t.substr(0, pct);
    if (t.empty() || t.find(':') == std::string_view::npos) return false;
    size_t dbl = t.find("::");
    if (dbl != std::string_view::npos && t.find("::", dbl + 1) != std::string_view::npos) return false;
    auto groups = split(t, ':');
    int count = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
        auto g = groups[i];
        if (g.empty()) continue;  // part of '::' (checked above) or a leading/trailing one of it
        if (i + 1 == groups.size() && g.find('.') != std::string_view::npos) {
            if (!is_ipv4(g)) return false;
            count += 2;
            continue;
        }
        if (g.size() > 4 || !all_of(g, isxdigit)) return false;
        ++count;
    }
    // Empty groups are only allowed as part of '::'.
    if (dbl == std::string_view::npos) {
        for (auto g : groups)
            if (g.empty()) return false;
        return count == 8;
    }
    return count < 8;
}

bool is_hostname(std::string_view text) {
    std::string_view t = text;
    if (t.starts_with("*.")) t.remove_prefix(2);
    if (t.starts_with(".")) t.remove_prefix(1);
    if (t.ends_with(".")) t.remove_suffix(1);
    if (t.empty() || t.size() > 253) return false;
    auto labels = split(t, '.');
    for (auto l : labels) {
        if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
        for (char c : l)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    }
    return labels.size() == 1 || !all_of(labels.back(), isdigit);
}

bool is_permission(std::string_view text) {
    std::string_view t = trim(text);
    if (t.starts_with("0o") || t.starts_with("0O")) t.remove_prefix(2);
    if (!t.empty() && t.size() <= 5 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '7'; }))
        return t.size() <= 4 || t[0] == '0';
    // rwxr-x--- (optionally with a leading type character)
    std::string_view r = t.size() == 10 ? t.substr(1) : t;
    if (r.size() == 9) {
        bool ok = true;
        for (size_t i = 0; i < 9 && ok; ++i) {
            char c = r[i];
            switch (i % 3) {
                case 0: ok = c == 'r' || c == '-'; break;
                case 1: ok = c == 'w' || c == '-'; break;
                default: ok = c == 'x' || c == '-' || c == 's' || c == 'S' || c == 't' || c == 'T'; break;
            }
        }
        if (ok) return true;
    }
    // Symbolic: [ugoa]*[-+=][rwxXst]* clauses joined by commas.
    if (t.empty()) return false;
    for (auto clause : split(t, ',')) {
        size_t i = 0;
        while (i < clause.size() && std::string_view("ugoa").find(clause[i]) != std::string_view::npos) ++i;
        if (i == clause.size() || std::string_view("-+=").find(clause[i]) == std::string_view::npos) return false;
        ++i;
        for (; i < clause.size(); ++i)
            if (std::string_view("rwxXst").find(clause[i]) == std::string_view::npos) return false;
    }
    return true;
}

bool is_class_name(std::string_view text) {
    auto parts = split(trim(text), '.');
    if (parts.size() < 2) return false;
    for (auto p : parts) {
        if (p.empty() || std::isdigit(static_cast<unsigned char>(p[0]))) return false;
        for (char c : p)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') return false;
    }
    return true;
}

std::string_view duration_units_text() { return "ns, us, ms, s, m, h, d"; }

std::string_view size_units_text() { return "B, KB, MB, GB, TB (or K, M, G, T, KiB, Ki, ...)"; }

std::optional<ValueProblem> check_value(std::string_view value, const ValueRule& rule, std::string_view format) {
    if (rule.kind == ValueKind::any || rule.kind == ValueKind::string) return std::nullopt;
    std::string raw = std::string(trim(value));
    // A Python list literal is a list whatever the rule says; its items are checked one by one.
    bool literal_list = raw.size() >= 2 && ((raw.front() == '[' && raw.back() == ']') || (raw.front() == '(' && raw.back() == ')'));
    std::string v = unquote(raw);
    if (trim(v).empty() || is_unjudgeable(v)) return std::nullopt;
    // Class names come in comma-separated lists (plugins, filters) whatever the rule says.
    bool list = rule.list || rule.kind == ValueKind::class_name;
    if (!list && !literal_list) return check_one(trim(v), rule, format);
    for (const auto& item : split_list(literal_list ? raw : v)) {
        if (is_unjudgeable(item)) continue;
        if (auto p = check_one(item, rule, format)) {
            if (item != v) p->reason = rules_detail::format("in '{}': {}", v, p->reason);
            return p;
        }
    }
    return std::nullopt;
}

}  // namespace ciri
