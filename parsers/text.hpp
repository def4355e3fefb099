// Small text helpers shared by the line-oriented parsers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

}  // namespace ciri
