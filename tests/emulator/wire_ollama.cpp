#include "tests/emulator/wire_ollama.hpp"

#include "tests/emulator/request_log.hpp"

namespace ciri::emulator {

std::expected<ChatRequest, WireError> OllamaFormat::parse(const httplib::Request& http) const {
    auto body = parse_body(http);
    if (!body) return std::unexpected(body.error());
    ChatRequest request;
    request.endpoint = Endpoint::ollama;
    if (!body->contains("model") || !(*body)["model"].is_string())
        return invalid("model is required");
    request.model = (*body)["model"].get<std::string>();
    const auto& messages = body->value("messages", nlohmann::json());
    if (!messages.is_array() || messages.empty()) return invalid("messages are required");
    bool first = true;
    for (const auto& message : messages) {
        std::string text;
        if (!message.is_object() ||
            !content_text(message.value("content", nlohmann::json()), text)) {
            return invalid("invalid message format");
        }
        if (!first) request.prompt += '\n';
        request.prompt += text;
        first = false;
    }
    if (body->contains("format")) {
        const auto& format = (*body)["format"];
        request.json_mode =
            (format.is_string() && format.get<std::string>() == "json") || format.is_object();
    }
    if (body->contains("options") && (*body)["options"].is_object()) {
        const auto& options = (*body)["options"];
        if (options.contains("num_predict")) {
            if (!options["num_predict"].is_number_integer())
                return invalid("num_predict must be an integer");
            long num_predict = options["num_predict"].get<long>();
            if (num_predict >= 0) request.max_tokens = num_predict;  // -1: unlimited
        }
        if (options.contains("stop") && !stop_sequences(options["stop"], request.stop)) {
            return invalid("stop must be a list of strings");
        }
        if (options.contains("temperature") && !options["temperature"].is_number()) {
            return invalid("temperature must be a number");
        }
    }
    return request;
}

nlohmann::json OllamaFormat::reply(const ChatRequest& request, const Completion& completion) const {
    const Sample& sample = completion.samples.at(0);
    return {
        {"model", request.model},
        {"created_at", utc_now_iso8601()},
        {"message", {{"role", "assistant"}, {"content", sample.text}}},
        {"done", true},
        {"done_reason", sample.cut_by_max_tokens ? "length" : "stop"},
        {"prompt_eval_count", completion.usage.prompt_tokens},
        {"eval_count", completion.usage.completion_tokens},
        {"total_duration", completion.duration_ns},
    };
}

nlohmann::json OllamaFormat::error(ErrorKind, const std::string& message) const {
    return {{"error", message}};
}

}  // namespace ciri::emulator
