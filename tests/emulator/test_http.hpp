// Helpers for the emulator's own tests: JSON requests to a running emulator.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

#include "tests/support/emulator.hpp"

namespace ciri::emulator::testing {

/// POSTs `body` as JSON to `path` with extra `headers`; the raw result (null when dropped).
inline httplib::Result post(const ciri::test::EmulatorProcess& emulator, const std::string& path,
                            const nlohmann::json& body, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", emulator.port());
    client.set_read_timeout(60, 0);
    return client.Post(path.c_str(), headers, body.dump(), "application/json");
}

/// An OpenAI chat request with one user message.
inline nlohmann::json openai_request(const std::string& prompt, int n = 1,
                                     const std::string& model = "gpt-test") {
    return {{"model", model},
            {"n", n},
            {"messages", nlohmann::json::array({{{"role", "user"}, {"content", prompt}}})}};
}

/// The headers Anthropic requires.
inline httplib::Headers anthropic_headers() {
    return {{"x-api-key", "test-key"}, {"anthropic-version", "2023-06-01"}};
}

/// An Anthropic request with one user message.
inline nlohmann::json anthropic_request(const std::string& prompt,
                                        const std::string& model = "claude-test") {
    return {{"model", model},
            {"max_tokens", 1024},
            {"messages", nlohmann::json::array({{{"role", "user"}, {"content", prompt}}})}};
}

/// The content of the first choice of an OpenAI reply body.
inline std::string openai_content(const httplib::Result& result, std::size_t choice = 0) {
    return nlohmann::json::parse(result->body)["choices"][choice]["message"]["content"];
}

}  // namespace ciri::emulator::testing
