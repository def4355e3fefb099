// OpenAI chat completions, and every server that speaks the same wire format.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "ciri/backends/json_text.hpp"
#include "ciri/backends/keyed.hpp"

namespace ciri {

namespace {

using nlohmann::json;

class OpenAiBackend final : public KeyedBackend {
  public:
    using KeyedBackend::KeyedBackend;

    int max_samples_per_request() const override { return 128; }  // OpenAI caps n at 128

    HttpRequest build_request(const LlmRequest& req, int samples) const override {
        // Written as text, keys in nlohmann's (sorted) order, so the bytes are what
        // json::dump() gave: the prompt is escaped once, straight into the body.
        std::string body = "{";
        if (req.max_tokens > 0) body += "\"max_tokens\":" + std::to_string(req.max_tokens) + ",";
        body += "\"messages\":";
        append_chat_messages(body, req.prompt);
        body += ",\"model\":";
        append_json_string(body, spec_.model);
        if (samples != 1) body += ",\"n\":" + std::to_string(samples);
        if (req.json_mode) body += ",\"response_format\":{\"type\":\"json_object\"}";
        if (!req.stop.empty()) body += ",\"stop\":" + json(req.stop).dump();
        body += ",\"temperature\":" + json(req.temperature).dump() + "}";
        HttpRequest http;
        http.url = spec_.base_url + "/chat/completions";
        http.headers = {"Content-Type: application/json"};
        if (!key_.empty()) http.headers.push_back("Authorization: Bearer " + key_);
        http.body = std::move(body);
        return http;
    }

    Expected<ParsedReply> parse_reply(std::string_view body) const override {
        auto j = json::parse(body, nullptr, false);
        if (j.is_discarded()) return fail("reply is not json");
        if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array())
            return fail("reply has no choices");
        // Servers may return choices out of order; index says where each belongs.
        std::vector<std::pair<long, std::string>> choices;
        for (const auto& c : j["choices"]) {
            if (!c.is_object() || !c.contains("message") || !c["message"].is_object())
                return fail("choice has no message");
            const auto& content = c["message"].value("content", json());
            if (!content.is_string() && !content.is_null())
                return fail("choice content is not text");
            choices.emplace_back(c.value("index", long(choices.size())),
                                 content.is_string() ? content.get<std::string>() : std::string());
        }
        std::ranges::stable_sort(choices, {}, &std::pair<long, std::string>::first);
        ParsedReply reply;
        for (auto& [i, text] : choices) reply.samples.push_back(std::move(text));
        if (j.contains("usage") && j["usage"].is_object()) {
            const auto& u = j["usage"];
            reply.usage.prompt = u.value("prompt_tokens", 0L);
            reply.usage.completion = u.value("completion_tokens", 0L);
            if (u.contains("prompt_tokens_details") && u["prompt_tokens_details"].is_object())
                reply.usage.cached_prompt = u["prompt_tokens_details"].value("cached_tokens", 0L);
        }
        return reply;
    }
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_openai_backend(const ModelSpec& spec,
                                                       const BackendConfig& config) {
    return make_keyed_backend<OpenAiBackend>(spec, config, "OPENAI_BASE_URL",
                                     "https://api.openai.com/v1", "OPENAI_API_KEY");
}

}  // namespace ciri
