// Anthropic messages: POST /v1/messages, with cache_control prompt caching.
#pragma once

#include "tests/emulator/wire_format.hpp"

namespace ciri::emulator {

/// The Anthropic format: x-api-key and anthropic-version required, one sample per request.
class AnthropicFormat final : public WireFormat {
  public:
    Endpoint endpoint() const override { return Endpoint::anthropic; }
    std::expected<ChatRequest, WireError> parse(const httplib::Request& request) const override;
    nlohmann::json reply(const ChatRequest& request, const Completion& completion) const override;
    nlohmann::json error(ErrorKind kind, const std::string& message) const override;
};

}  // namespace ciri::emulator
