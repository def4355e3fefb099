// Writing the JSON text of a request body without building a JSON tree first: a prompt of
// 10-15 KB goes out on every request, and escaping it through nlohmann's serializer was the
// largest single cost of a run with shots.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "prompts/prompt.hpp"

namespace ciri {

/// Appends the JSON string literal of the concatenated `parts` (quotes included) to `out`.
/// Promises the same bytes as nlohmann::json(std::string(parts...)).dump(): `"` `\` and the
/// control characters escaped (\b \f \n \r \t, else \u00xx), UTF-8 copied as is. Text that
/// is not valid UTF-8 throws nlohmann's type_error, as dump() does.
void append_json_string(std::string& out, std::initializer_list<std::string_view> parts);

/// The same for one string.
inline void append_json_string(std::string& out, std::string_view s) { append_json_string(out, {s}); }

/// Appends the chat `messages` array of `prompt` as the OpenAI and Ollama wires spell it, keys
/// in nlohmann's order: the system message when there is one, then the user message (prefix and
/// body as one string).
void append_chat_messages(std::string& out, const Prompt& prompt);

}  // namespace ciri
