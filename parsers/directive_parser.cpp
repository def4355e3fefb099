// `directive arg1 arg2 ...` lines, as redis.conf.
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

/// Checks the arguments with Redis's sdssplitargs rules: "..." (with \" escapes) and '...'
/// (with \' escapes) must close, and a closing quote must be followed by a space or the end.
Expected<void> check_quotes(std::string_view args, int line) {
    size_t i = 0;
    while (i < args.size()) {
        while (i < args.size() && is_space(args[i])) ++i;
        bool word_start = true;
        while (i < args.size() && !is_space(args[i])) {
            char q = args[i];
            if (word_start && (q == '"' || q == '\'')) {
                size_t j = i + 1;
                while (j < args.size() && args[j] != q) {
                    // In '...' only \' is an escape; in "..." a backslash escapes anything.
                    bool escape =
                        args[j] == '\\' && j + 1 < args.size() && (q == '"' || args[j + 1] == '\'');
                    j += escape ? 2 : 1;
                }
                if (j >= args.size()) return fail("unterminated quote", line);
                i = j + 1;
                if (i < args.size() && !is_space(args[i]))
                    return fail("closing quote must be followed by a space", line);
                break;
            }
            word_start = false;
            ++i;
        }
    }
    return {};
}

}  // namespace

/// Parses redis.conf-style lines: key = the first word (case kept), value = the rest of the
/// line trimmed, verbatim (quotes and escapes kept), "" for a bare directive. Repeated
/// directives (save, rename-command, include) are kept, each with its line. Lines whose first
/// non-blank character is `#` are comments, and a comment block directly above a directive
/// becomes its description; a `#` later in a line is an argument, as in Redis. An unterminated
/// quote, or a closing quote glued to more text, is an Error with the line.
Expected<std::vector<Parameter>> parse_directives(std::string_view text,
                                                  const ParseLimits& limits) {
    std::vector<Parameter> params;
    std::string comment;
    for (const Line& l : split_lines(text)) {
        std::string_view s = trim(l.text);
        if (gather_hash_comment(s, comment)) continue;
        size_t end = 0;
        while (end < s.size() && !is_space(s[end])) ++end;
        std::string_view args = trim(s.substr(end));
        if (auto ok = check_quotes(args, l.number); !ok) return std::unexpected(ok.error());
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", l.number);
        params.push_back({std::string(s.substr(0, end)), std::string(args), l.number, comment, {}});
        comment.clear();
    }
    return params;
}

}  // namespace ciri
