// Small text helpers shared by the line-oriented parsers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// One line of a text, without its line end, with its 1-based number.
struct Line {
    std::string_view text;
    int number;
};

/// Splits `text` at '\n'; a final line without '\n' is kept, a trailing empty one is not.
std::vector<Line> split_lines(std::string_view text);

/// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

/// True when `s` is empty or only spaces and tabs.
bool is_blank(std::string_view s);

/// `s` without one pair of matching surrounding quotes (' or "); unchanged otherwise.
std::string_view strip_quotes(std::string_view s);

/// ASCII lower-case copy of `s`.
std::string to_lower(std::string_view s);

/// `s` trimmed, with every run of whitespace (space, tab, newline, CR) turned into one space.
std::string collapse_whitespace(std::string_view s);

/// One word of a shell-like command line, quotes removed, with the line it starts on.
struct ShellWord {
    std::string text;
    int line;
};

/// Splits `text` into words as a POSIX shell would, expanding nothing: blanks and newlines
/// separate words; '...' is literal; inside "..." a backslash escapes " \ $ ` and newline;
/// outside quotes a backslash escapes the next character and backslash-newline joins lines;
/// `$(...)`, `${...}` and `...` are kept verbatim inside their word, whatever they contain;
/// '#' at the start of a word comments out the rest of the line. Lines are numbered from
/// `first_line`. An unterminated quote is an Error at the line where the quote opened.
Expected<std::vector<ShellWord>> split_shell_words(std::string_view text, int first_line = 1);

/// The comment block directly above line `line` (1-based) of `lines` (as split_lines gives
/// them): consecutive full-line comments, nearest last, joined with '\n', each without its
/// leading marker characters and surrounding blanks. A blank or any other line ends the
/// block. `markers` lists the characters that start a comment line, e.g. "#;".
std::string comment_block_above(const std::vector<Line>& lines, int line,
                                std::string_view markers);

/// Appends code point `cp` to `out` as UTF-8; a surrogate or a value above U+10FFFF becomes
/// U+FFFD, so `out` stays valid UTF-8.
void append_utf8(std::string& out, uint32_t cp);

/// Gathers '#' comment lines into the description of the next line-oriented parameter: a
/// blank trimmed line `s` clears `comment`; one starting with '#' appends its text (leading
/// '#'s and blanks dropped) to `comment`, one space between lines. True when `s` was either,
/// i.e. it holds no parameter.
bool gather_hash_comment(std::string_view s, std::string& comment);

/// Splits an option `name=value` at its first '=' into `key` and `value`. Without '=', `key`
/// is the whole of `name`, `value` is left as it was, and the result is false.
bool split_key_value(std::string_view name, std::string& key, std::string& value);

}  // namespace ciri
