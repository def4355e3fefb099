// A tolerant reader for the JSON-or-Python-literal values LLMs answer with.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace ciri {

/// Reads one value starting at `pos` (leading whitespace skipped) and advances `pos` past it.
/// Accepts JSON and the Python literal style recorded by Ciri: single- or double-quoted strings
/// with Python escapes (\' \" \\ \n \t \xhh \uXXXX \UXXXXXXXX octal; an unknown escape keeps its
/// backslash), adjacent strings concatenated, True/False/None as well as true/false/null,
/// tuples read as arrays, trailing commas, and bare identifier keys (`{hasError: true}`).
/// Non-string dict keys are turned into their text. On failure `pos` is left unchanged and the
/// Error says what was expected (its line is the 1-based line of `text` where reading stopped).
Expected<nlohmann::json> read_literal(std::string_view text, size_t& pos);

/// Reads `text` as exactly one literal; anything but whitespace after it is an error.
Expected<nlohmann::json> parse_literal(std::string_view text);

}  // namespace ciri
