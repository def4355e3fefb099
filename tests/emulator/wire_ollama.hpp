// Ollama chat: POST /api/chat (non-streaming replies).
#pragma once

#include "tests/emulator/wire_format.hpp"

namespace ciri::emulator {

/// The Ollama format: options.num_predict, format "json", prompt_eval_count/eval_count.
class OllamaFormat final : public WireFormat {
  public:
    Endpoint endpoint() const override { return Endpoint::ollama; }
    std::expected<ChatRequest, WireError> parse(const httplib::Request& request) const override;
    nlohmann::json reply(const ChatRequest& request, const Completion& completion) const override;
    nlohmann::json error(ErrorKind kind, const std::string& message) const override;
};

}  // namespace ciri::emulator
