// What the emulator works on once a request is decoded: wire-format independent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ciri::emulator {

/// The provider wire format a request arrived in.
enum class Endpoint { openai, anthropic, ollama };

/// The name used in /stats, the log and script rules ("openai", "anthropic", "ollama").
constexpr std::string_view endpoint_name(Endpoint endpoint) {
    switch (endpoint) {
        case Endpoint::openai:
            return "openai";
        case Endpoint::anthropic:
            return "anthropic";
        case Endpoint::ollama:
            return "ollama";
    }
    return "unknown";
}

/// A decoded chat request.
struct ChatRequest {
    Endpoint endpoint = Endpoint::openai;
    std::string model;
    int n = 1;           ///< samples wanted (only OpenAI has n > 1)
    std::string prompt;  ///< everything the model sees: system + messages joined by "\n"
    /// Anthropic: bytes of `prompt` up to and including the last block with cache_control.
    std::optional<std::size_t> cache_prefix_bytes;
    std::optional<long> max_tokens;
    std::vector<std::string> stop;
    bool json_mode = false;  ///< response_format json / Ollama format "json"
};

/// One generated answer.
struct Sample {
    std::string text;
    bool cut_by_max_tokens = false;
    std::optional<std::string> stop_sequence;  ///< the stop sequence that ended it, if any
};

/// Tokens billed for one request (the prompt once, whatever n is).
struct Usage {
    long prompt_tokens = 0;          ///< the whole prompt, cached parts included
    long completion_tokens = 0;      ///< all samples together
    long cached_tokens = 0;          ///< prefix read from the provider's cache
    long cache_creation_tokens = 0;  ///< Anthropic: marked prefix written to the cache
};

/// The model's reply to one request.
struct Completion {
    std::string id;
    std::vector<Sample> samples;
    Usage usage;
    long long duration_ns = 0;  ///< time spent on the request (Ollama's total_duration)
};

}  // namespace ciri::emulator
