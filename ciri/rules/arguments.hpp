// The arguments of a value, and a grammar a spec row states for them (the `args` and `fields`
// constraints): Redis refuses `save 900` (an odd count), `client-output-buffer-limit master
// 0 0 0` (a class it does not take) and `oom-score-adj-values 0 200` (two of three); etcd refuses
// an `auth-token` whose type (the field before the first comma) it does not know.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// One item of an argument grammar: an atom, or a group of items; either may repeat.
struct ArgItem {
    enum class Type { any, word, basename, integer, decimal, size, go_duration, pair, url, bind_url, choice, empty, group };
    Type type = Type::any;
    std::optional<long double> min, max;  ///< integer, decimal: inclusive bounds
    std::vector<std::string> choices;     ///< choice: the accepted words; url, bind_url: the schemes
    std::vector<ArgItem> group;           ///< group: the items in order
    char repeat = 0;                      ///< 0 (once), '*' (zero or more) or '+' (one or more)
};

/// A parsed grammar: the items in order, and the text it was written as.
struct ArgGrammar {
    std::vector<ArgItem> items;
    std::string text;
    /// True when more than one argument can match: Redis re-splits such a directive's single
    /// non-empty argument at its spaces (`save "900 1"` is `save 900 1`).
    bool several() const;
};

/// Parses a grammar: items separated by spaces, each one of
///   `any` (any argument, even empty), `word` (non-empty), `basename` (non-empty, no `/` or `\`),
///   `int`, `int:MIN..MAX`, `int:MIN..` (a whole number, strtoll's spelling, within bounds),
///   `float:MIN..MAX` (a decimal), `size` (digits and an optional unit b, k, kb, m, mb, g, gb in
///   any case, as Redis's memtoull reads it), `go-duration` (Go's time.ParseDuration: `90s`,
///   `1h30m`, `-1.5h`, `0`), `pair` (`key=value`: exactly one `=`, as etcd's token options),
///   `url:S1|S2` (`scheme://host:port` with one of these schemes, a host, a port separator and no
///   path, as etcd's types.NewURLs and checkHostURLs take it), `bind-url:S1|S2` (the same, its
///   host an IP address or `localhost` unless the scheme is unix or unixs: etcd's checkBindURLs),
///   `''` (an empty argument), `a|b|c` or `'a'` (one of these words), or `( ITEMS )`; any item
///   may end in `*` (zero or more) or `+` (one or more).
/// Fails saying what is malformed.
Expected<ArgGrammar> parse_arg_grammar(std::string_view text);

/// The arguments of a directive's value as Redis's sdssplitargs reads them: words separated by
/// blanks, "..." with backslash escapes (\n, \t, \xHH, ...) and '...' with \' as one argument
/// each (`""` is one empty argument); nullopt when a quote does not close.
std::optional<std::vector<std::string>> split_arguments(std::string_view value);

/// The value split at every comma, as Go's strings.Split (nothing trimmed; "" is one empty field).
std::vector<std::string> split_fields(std::string_view value);

/// Why `args` do not fit `grammar`, said to a person; nullopt when they fit. Words of a choice
/// are compared exactly when `case_sensitive` (Go's string switches), else in any case (Redis's
/// strcasecmp).
std::optional<std::string> arguments_problem(const std::vector<std::string>& args, const ArgGrammar& grammar,
                                             bool case_sensitive = false);

}  // namespace ciri
