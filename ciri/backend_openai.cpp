// OpenAI chat completions, and every server that speaks the same wire format.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "ciri/backend.hpp"

namespace ciri {

namespace {

using nlohmann::json;

class OpenAiBackend final : public Backend {
  public:
    OpenAiBackend(ModelSpec spec, std::string key_env, std::string key)
        : spec_(std::move(spec)), key_env_(std::move(key_env)), key_(std::move(key)) {}

    const ModelSpec& spec() const override { return spec_; }
    std::string_view key_env() const override { return key_env_; }
    bool has_key() const override { return !key_.empty() || is_loopback_url(spec_.base_url); }
    std::vector<std::string> secrets() const override { return {key_}; }
    int max_samples_per_request() const override { return 128; }  // OpenAI caps n at 128

    HttpRequest build_request(const LlmRequest& req, int samples) const override {
        json messages = json::array();
        if (!req.prompt.system.empty())
            messages.push_back({{"role", "system"}, {"content", req.prompt.system}});
        messages.push_back({{"role", "user"}, {"content", req.prompt.user()}});
        json body = {{"model", spec_.model},
                     {"messages", std::move(messages)},
                     {"temperature", req.temperature}};
        if (samples != 1) body["n"] = samples;
        if (req.max_tokens > 0) body["max_tokens"] = req.max_tokens;
        if (!req.stop.empty()) body["stop"] = req.stop;
        if (req.json_mode) body["response_format"] = {{"type", "json_object"}};
        HttpRequest http;
        http.url = spec_.base_url + "/chat/completions";
        http.headers = {"Content-Type: application/json"};
        if (!key_.empty()) http.headers.push_back("Authorization: Bearer " + key_);
        http.body = body.dump();
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

  private:
    ModelSpec spec_;
    std::string key_env_;
    std::string key_;
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_openai_backend(const ModelSpec& given,
                                                       const BackendConfig& config) {
    ModelSpec spec = given;
    if (spec.base_url.empty()) spec.base_url = env_or_empty("OPENAI_BASE_URL");
    if (spec.base_url.empty()) spec.base_url = "https://api.openai.com/v1";
    while (spec.base_url.ends_with('/')) spec.base_url.pop_back();
    std::string key_env = config.key_env.empty() ? "OPENAI_API_KEY" : config.key_env;
    return std::make_unique<OpenAiBackend>(std::move(spec), key_env, env_or_empty(key_env.c_str()));
}

}  // namespace ciri
