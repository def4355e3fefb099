// Value shapes the rules voter knows: what a well-formed boolean, number, duration, size,
// path, URL, host, port, permission or class name looks like, and why a value is not one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ciri {

/// The kind of value a parameter takes. `any` means nothing is known: no check.
enum class ValueKind {
    any,
    boolean,
    integer,
    number,      ///< integer or decimal
    duration,    ///< a number with an optional time unit (`30s`, `5min`, `250`)
    size,        ///< a number with an optional size unit (`64MB`, `1g`, `4096`)
    path,
    url,
    host,        ///< hostname, IPv4 or IPv6 address, optionally with `:port`
    ip,          ///< an IPv4 or IPv6 address (hostnames tolerated; malformed addresses are not)
    host_port,   ///< host:port
    port,        ///< 0-65535
    permission,  ///< octal mode or umask (`0755`, `022`) or symbolic (`u=rwx,g=rx,o=`)
    class_name,  ///< dotted identifier (`org.apache.Foo`, `django.core.Bar`)
    enumeration, ///< one of ValueRule::enum_values
    string,      ///< free text: never checked
};

/// The spec-table spelling of `kind`: bool, int, float, duration, size, path, url, host, ip,
/// host_port, port, permission, class, enum, string, any.
std::string_view to_string(ValueKind kind);

/// The ValueKind spelled `name` (as to_string writes it, plus a few synonyms such as
/// `boolean`, `integer`, `long`, `double`, `number`); nullopt when unknown.
std::optional<ValueKind> value_kind_from_string(std::string_view name);

/// What a value must satisfy.
struct ValueRule {
    ValueKind kind = ValueKind::any;
    bool list = false;                     ///< a comma-separated list (or Python list) of such values
    std::optional<double> min, max;        ///< inclusive bounds, in the kind's base unit (ms, bytes)
    std::vector<std::string> enum_values;  ///< enumeration: the allowed values (case-insensitive unless case_sensitive)
    bool case_sensitive = false;           ///< enumeration: the system compares values exactly (argparse choices)
    std::vector<std::string> bool_spellings;  ///< boolean: extra spellings that count as valid
    bool bools_exact = false;              ///< boolean: only bool_spellings count, not every usual spelling
    std::vector<double> special;           ///< values accepted whatever min/max say (e.g. -1)
    bool int32 = false;                    ///< integer: must fit a signed 32-bit int
    bool scheme_required = false;          ///< url: `scheme:` must be present
    std::string unit;                      ///< duration/size: unit of a bare number and of min/max
    std::vector<std::string> units;        ///< duration/size: the only spellings accepted, exactly (empty = any)
};

/// Why a value breaks its rule: a sentence a person can act on, and how sure the check is
/// that the value is wrong given the rule (1 = certainly wrong, lower = suspicious).
struct ValueProblem {
    std::string reason;
    double certainty = 1.0;
    std::string subcategory;  ///< the paper's Table III name of the kind of mistake, e.g. "Port"
};

/// Checks `value` (as written in a file of `format`; quotes are removed here) against `rule`.
/// Values that cannot be judged without evaluation (`${var}` references, Python `None`,
/// expressions other than integer arithmetic) and empty values pass.
std::optional<ValueProblem> check_value(std::string_view value, const ValueRule& rule,
                                        std::string_view format = {});

/// `value` without one pair of matching surrounding quotes ('...' or "...").
std::string unquote(std::string_view value);

/// True when the value refers to something resolved elsewhere (`${x}`, `$X`, `%(x)s`,
/// `{{ x }}`) or is a null (`None`, `null`, `~`): the rules cannot judge it.
bool is_unjudgeable(std::string_view value);

/// The items of a list value: a Python/JSON list literal, else split on commas; items
/// trimmed and unquoted, empty items dropped.
std::vector<std::string> split_list(std::string_view value);

/// An integer (`-12`, `+7`, `1_000`, or Python integer arithmetic such as `60 * 60 * 24`).
std::optional<long double> parse_integer(std::string_view text);

/// A decimal number (`1.5`, `-2e3`, `.5`, `7`); trailing `f`/`F`/`d`/`D` Java suffixes allowed.
std::optional<long double> parse_number(std::string_view text);

/// True for a spelling of true/false some system accepts (true/false, yes/no, on/off, 1/0,
/// case-insensitively); for the Python format only True and False.
bool is_bool_spelling(std::string_view text, std::string_view format = {});

/// A number and the letters after it (`30sec` -> {30, "sec"}); nullopt when the value is
/// not a number followed by letters only.
struct Quantity {
    long double number = 0;
    std::string unit;
};
std::optional<Quantity> split_quantity(std::string_view text);

/// The value of a duration in milliseconds; a bare number counts in `bare_unit` (default ms),
/// which may carry a whole multiplier (`10s`).
/// nullopt when the text is not a duration or its unit is unknown.
std::optional<long double> duration_ms(std::string_view text, std::string_view bare_unit = "ms");

/// The value of a size in bytes; a bare number counts in `bare_unit` (default bytes), which
/// may carry a whole multiplier (`8kB`).
std::optional<long double> size_bytes(std::string_view text, std::string_view bare_unit = "b");

/// True when `unit` names a time unit (ns, us, ms, s, sec, m, min, h, hr, d, day, ...,
/// case-insensitively), optionally after a whole multiplier (`10s`), as a table's unit column may.
bool is_duration_unit(std::string_view unit);

/// True when `unit` names a size unit (b, k, kb, kib, m, mb, g, gb, ..., case-insensitively),
/// optionally after a whole multiplier (`8kB`, PostgreSQL's page), as a table's unit column may.
bool is_size_unit(std::string_view unit);

/// A dotted-quad IPv4 address with every part 0-255.
bool is_ipv4(std::string_view text);

/// An IPv6 address (with `::` compression, optionally bracketed, optionally with %zone).
bool is_ipv6(std::string_view text);

/// An RFC 1123 hostname whose last label is not all digits (so `1.2.3.4.5` is not one).
/// A leading `.` (cookie domains) and `*.` wildcards are allowed.
bool is_hostname(std::string_view text);

/// An octal mode or umask (1-4 octal digits, optional leading 0) or a symbolic mode
/// (`u=rwx,g=rx,o=`, `a+r`, `rwxr-x---`).
bool is_permission(std::string_view text);

/// A dotted identifier with at least two parts (`org.apache.hadoop.Foo`, `a.b$Inner`).
bool is_class_name(std::string_view text);

/// "ns, us, ms, s, m, h, d": the duration units listed in reasons.
std::string_view duration_units_text();

/// "B, KB, MB, GB, TB": the size units listed in reasons.
std::string_view size_units_text();

}  // namespace ciri
