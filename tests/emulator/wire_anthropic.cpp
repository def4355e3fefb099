#include "tests/emulator/wire_anthropic.hpp"

namespace ciri::emulator {
namespace {

// Appends `content` (a string or blocks) to the prompt; a block carrying cache_control
// moves the cache breakpoint to the prompt's end after that block.
bool append_content(const nlohmann::json& content, ChatRequest& request) {
    if (content.is_string()) {
        request.prompt += content.get<std::string>();
        return true;
    }
    if (!content.is_array()) return false;
    for (const auto& block : content) {
        if (!block.is_object()) return false;
        auto text = block.find("text");
        if (text != block.end() && text->is_string()) request.prompt += text->get<std::string>();
        auto cache = block.find("cache_control");
        if (cache != block.end() && cache->is_object())
            request.cache_prefix_bytes = request.prompt.size();
    }
    return true;
}

}  // namespace

std::expected<ChatRequest, WireError> AnthropicFormat::parse(const httplib::Request& http) const {
    if (http.get_header_value("x-api-key").empty()) {
        return std::unexpected(
            WireError{401, ErrorKind::authentication, "x-api-key header is required"});
    }
    if (http.get_header_value("anthropic-version").empty()) {
        return invalid("anthropic-version: header is required");
    }
    auto body = parse_body(http);
    if (!body) return std::unexpected(body.error());
    ChatRequest request;
    request.endpoint = Endpoint::anthropic;
    if (!body->contains("model") || !(*body)["model"].is_string()) {
        return invalid("model: Field required");
    }
    request.model = (*body)["model"].get<std::string>();
    const auto& messages = body->value("messages", nlohmann::json());
    if (!messages.is_array() || messages.empty()) return invalid("messages: Field required");
    bool first = true;
    if (body->contains("system") && !(*body)["system"].is_null()) {
        if (!append_content((*body)["system"], request)) {
            return invalid("system: Input should be a valid string or list of text blocks");
        }
        first = request.prompt.empty();
    }
    for (const auto& message : messages) {
        if (!message.is_object() || !message.contains("role") || !message.contains("content")) {
            return invalid("messages: each message needs role and content");
        }
        if (!first) request.prompt += '\n';
        if (!append_content(message["content"], request)) {
            return invalid("messages: content must be a string or a list of blocks");
        }
        first = false;
    }
    if (body->contains("max_tokens")) {
        const auto& max = (*body)["max_tokens"];
        if (!max.is_number_integer() || max.get<long>() < 1) {
            return invalid("max_tokens: Input should be a positive integer");
        }
        request.max_tokens = max.get<long>();
    }
    if (body->contains("stop_sequences") &&
        !stop_sequences((*body)["stop_sequences"], request.stop)) {
        return invalid("stop_sequences: Input should be a list of strings");
    }
    if (body->contains("temperature") && !(*body)["temperature"].is_null()) {
        const auto& t = (*body)["temperature"];
        if (!t.is_number() || t.get<double>() < 0 || t.get<double>() > 1) {
            return invalid("temperature: Input should be between 0 and 1");
        }
    }
    return request;
}

nlohmann::json AnthropicFormat::reply(const ChatRequest& request,
                                      const Completion& completion) const {
    const Sample& sample = completion.samples.at(0);
    std::string stop_reason = "end_turn";
    nlohmann::json stop_sequence = nullptr;
    if (sample.cut_by_max_tokens) {
        stop_reason = "max_tokens";
    } else if (sample.stop_sequence) {
        stop_reason = "stop_sequence";
        stop_sequence = *sample.stop_sequence;
    }
    const Usage& usage = completion.usage;
    return {
        {"id", completion.id},
        {"type", "message"},
        {"role", "assistant"},
        {"model", request.model},
        {"content", nlohmann::json::array({{{"type", "text"}, {"text", sample.text}}})},
        {"stop_reason", stop_reason},
        {"stop_sequence", stop_sequence},
        {"usage",
         {{"input_tokens", usage.prompt_tokens - usage.cached_tokens - usage.cache_creation_tokens},
          {"output_tokens", usage.completion_tokens},
          {"cache_creation_input_tokens", usage.cache_creation_tokens},
          {"cache_read_input_tokens", usage.cached_tokens}}},
    };
}

nlohmann::json AnthropicFormat::error(ErrorKind kind, const std::string& message) const {
    std::string type;
    switch (kind) {
        case ErrorKind::invalid_request:
            type = "invalid_request_error";
            break;
        case ErrorKind::authentication:
            type = "authentication_error";
            break;
        case ErrorKind::rate_limit:
            type = "rate_limit_error";
            break;
        case ErrorKind::server:
            type = "api_error";
            break;
        case ErrorKind::overloaded:
            type = "overloaded_error";
            break;
    }
    return {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
}

}  // namespace ciri::emulator
