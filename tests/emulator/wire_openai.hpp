// OpenAI chat completions: POST /v1/chat/completions (and /chat/completions).
#pragma once

#include "tests/emulator/wire_format.hpp"

namespace ciri::emulator {

/// The OpenAI format: n samples per request, prompt_tokens_details.cached_tokens.
class OpenAiFormat final : public WireFormat {
  public:
    Endpoint endpoint() const override { return Endpoint::openai; }
    std::expected<ChatRequest, WireError> parse(const httplib::Request& request) const override;
    nlohmann::json reply(const ChatRequest& request, const Completion& completion) const override;
    nlohmann::json error(ErrorKind kind, const std::string& message) const override;
};

}  // namespace ciri::emulator
