#include "tests/emulator/wire_openai.hpp"

#include <ctime>

namespace ciri::emulator {

std::expected<ChatRequest, WireError> OpenAiFormat::parse(const httplib::Request& http) const {
    auto body = parse_body(http);
    if (!body) return std::unexpected(body.error());
    ChatRequest request;
    request.endpoint = Endpoint::openai;
    if (!body->contains("model") || !(*body)["model"].is_string()) {
        return invalid("you must provide a model parameter");
    }
    request.model = (*body)["model"].get<std::string>();
    const auto& messages = body->value("messages", nlohmann::json());
    if (!messages.is_array() || messages.empty()) {
        return invalid("'messages' must be a non-empty array");
    }
    bool first = true;
    for (const auto& message : messages) {
        if (!message.is_object() || !message.contains("role")) {
            return invalid("each message needs a role");
        }
        std::string text;
        if (!content_text(message.value("content", nlohmann::json()), text)) {
            return invalid("message content must be a string or an array of content parts");
        }
        if (!first) request.prompt += '\n';
        request.prompt += text;
        first = false;
    }
    if (body->contains("n")) {
        const auto& n = (*body)["n"];
        if (!n.is_number_integer() || n.get<long>() < 1 || n.get<long>() > 128) {
            return invalid("'n' must be an integer from 1 to 128");
        }
        request.n = n.get<int>();
    }
    for (const char* key : {"max_tokens", "max_completion_tokens"}) {
        if (!body->contains(key) || (*body)[key].is_null()) continue;
        if (!(*body)[key].is_number_integer() || (*body)[key].get<long>() < 1) {
            return invalid(std::string("'") + key + "' must be a positive integer");
        }
        request.max_tokens = (*body)[key].get<long>();
    }
    if (body->contains("stop") && !stop_sequences((*body)["stop"], request.stop)) {
        return invalid("'stop' must be a string or an array of strings");
    }
    if (body->contains("temperature") && !(*body)["temperature"].is_null()) {
        const auto& t = (*body)["temperature"];
        if (!t.is_number() || t.get<double>() < 0 || t.get<double>() > 2) {
            return invalid("'temperature' must be a number from 0 to 2");
        }
    }
    if (body->contains("response_format") && !(*body)["response_format"].is_null()) {
        const auto& format = (*body)["response_format"];
        std::string type = format.is_object() ? format.value("type", "") : "";
        if (type == "json_object" || type == "json_schema") {
            request.json_mode = true;
        } else if (type != "text") {
            return invalid("'response_format.type' must be text, json_object or json_schema");
        }
    }
    return request;
}

nlohmann::json OpenAiFormat::reply(const ChatRequest& request, const Completion& completion) const {
    nlohmann::json choices = nlohmann::json::array();
    for (std::size_t i = 0; i < completion.samples.size(); ++i) {
        const Sample& sample = completion.samples[i];
        choices.push_back({
            {"index", i},
            {"message", {{"role", "assistant"}, {"content", sample.text}, {"refusal", nullptr}}},
            {"logprobs", nullptr},
            {"finish_reason", sample.cut_by_max_tokens ? "length" : "stop"},
        });
    }
    const Usage& usage = completion.usage;
    return {
        {"id", completion.id},
        {"object", "chat.completion"},
        {"created", static_cast<long>(std::time(nullptr))},
        {"model", request.model},
        {"choices", choices},
        {"usage",
         {{"prompt_tokens", usage.prompt_tokens},
          {"completion_tokens", usage.completion_tokens},
          {"total_tokens", usage.prompt_tokens + usage.completion_tokens},
          {"prompt_tokens_details", {{"cached_tokens", usage.cached_tokens}}}}},
        {"system_fingerprint", "fp_ciri_emulator"},
    };
}

nlohmann::json OpenAiFormat::error(ErrorKind kind, const std::string& message) const {
    std::string type = "invalid_request_error";
    nlohmann::json code = nullptr;
    switch (kind) {
        case ErrorKind::invalid_request:
            break;
        case ErrorKind::authentication:
            code = "invalid_api_key";
            break;
        case ErrorKind::rate_limit:
            type = "requests";
            code = "rate_limit_exceeded";
            break;
        case ErrorKind::server:
            type = "server_error";
            break;
        case ErrorKind::overloaded:
            type = "server_error";
            code = "overloaded";
            break;
    }
    return {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

}  // namespace ciri::emulator
