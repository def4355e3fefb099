// Which model to ask: `provider/model[@base_url]`, as written on the command line and in config.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"

namespace ciri {

/// A parsed model spec. `base_url` is empty when the spec names none (the backend then
/// takes it from the environment or its default).
struct ModelSpec {
    std::string provider;  ///< registry name: openai, anthropic, ollama, command
    std::string model;     ///< provider's model name; for `command`, the program path
    std::string base_url;  ///< explicit base URL, without a trailing '/'

    /// The spec as the user writes it; parse_model_spec(to_string()) gives it back.
    std::string to_string() const;

    friend bool operator==(const ModelSpec&, const ModelSpec&) = default;
};

/// Parses `provider/model[@base_url]`, e.g. `openai/gpt-4o`, `ollama/qwen2.5-coder:7b`,
/// `openai/Qwen2.5-7B-Instruct@http://127.0.0.1:8000/v1`, `command//path/to/prog`.
/// Only an `@` followed by http:// or https:// starts the base URL, so model names that
/// contain `@` (e.g. `claude-3-5-sonnet@20240620`) stay whole. The provider is not checked
/// against the registry here (see make_backend). Fails with a short message saying what is wrong.
Expected<ModelSpec> parse_model_spec(std::string_view text);

/// True when `url`'s host is a loopback address (127.x.x.x, localhost, [::1]): such servers
/// are local model servers or the emulator, which need no API key.
bool is_loopback_url(std::string_view url);

}  // namespace ciri
