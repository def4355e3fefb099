// Anthropic Messages API: one sample per request; the static prompt prefix is marked for caching.
#include <nlohmann/json.hpp>

#include "ciri/backend.hpp"

namespace ciri {

namespace {

using nlohmann::json;

class AnthropicBackend final : public Backend {
  public:
    AnthropicBackend(ModelSpec spec, std::string key_env, std::string key)
        : spec_(std::move(spec)), key_env_(std::move(key_env)), key_(std::move(key)) {}

    const ModelSpec& spec() const override { return spec_; }
    std::string_view key_env() const override { return key_env_; }
    bool has_key() const override { return !key_.empty() || is_loopback_url(spec_.base_url); }
    std::vector<std::string> secrets() const override { return {key_}; }

    HttpRequest build_request(const LlmRequest& req, int) const override {
        // The prefix (instructions and shots) is the same for every file, so it is its own
        // block with cache_control: later requests read it from the provider's cache.
        json content = json::array();
        if (!req.prompt.prefix.empty())
            content.push_back({{"type", "text"},
                               {"text", req.prompt.prefix},
                               {"cache_control", {{"type", "ephemeral"}}}});
        if (!req.prompt.body.empty() || content.empty())
            content.push_back({{"type", "text"}, {"text", req.prompt.body}});
        json body = {
            {"model", spec_.model},
            {"max_tokens", req.max_tokens > 0 ? req.max_tokens : 1024},
            {"temperature", req.temperature},
            {"messages", json::array({{{"role", "user"}, {"content", std::move(content)}}})}};
        if (!req.prompt.system.empty())
            body["system"] = json::array({{{"type", "text"}, {"text", req.prompt.system}}});
        if (!req.stop.empty()) body["stop_sequences"] = req.stop;
        HttpRequest http;
        http.url = spec_.base_url + "/v1/messages";
        // A loopback server without a key still gets the header the API requires.
        http.headers = {"Content-Type: application/json", "anthropic-version: 2023-06-01",
                        "x-api-key: " + (key_.empty() ? std::string("local") : key_)};
        http.body = body.dump();
        return http;
    }

    Expected<ParsedReply> parse_reply(std::string_view body) const override {
        auto j = json::parse(body, nullptr, false);
        if (j.is_discarded()) return fail("reply is not json");
        if (!j.is_object() || !j.contains("content") || !j["content"].is_array())
            return fail("reply has no content");
        std::string text;
        for (const auto& block : j["content"])
            if (block.is_object() && block.value("type", "") == "text" && block.contains("text") &&
                block["text"].is_string())
                text += block["text"].get<std::string>();
        ParsedReply reply;
        reply.samples.push_back(std::move(text));
        if (j.contains("usage") && j["usage"].is_object()) {
            const auto& u = j["usage"];
            long read = u.value("cache_read_input_tokens", 0L);
            reply.usage.prompt =
                u.value("input_tokens", 0L) + u.value("cache_creation_input_tokens", 0L) + read;
            reply.usage.cached_prompt = read;
            reply.usage.completion = u.value("output_tokens", 0L);
        }
        return reply;
    }

  private:
    ModelSpec spec_;
    std::string key_env_;
    std::string key_;
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_anthropic_backend(const ModelSpec& given,
                                                          const BackendConfig& config) {
    ModelSpec spec = given;
    if (spec.base_url.empty()) spec.base_url = env_or_empty("ANTHROPIC_BASE_URL");
    if (spec.base_url.empty()) spec.base_url = "https://api.anthropic.com";
    while (spec.base_url.ends_with('/')) spec.base_url.pop_back();
    std::string key_env = config.key_env.empty() ? "ANTHROPIC_API_KEY" : config.key_env;
    return std::make_unique<AnthropicBackend>(std::move(spec), key_env,
                                              env_or_empty(key_env.c_str()));
}

}  // namespace ciri
