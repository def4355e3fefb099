// Anthropic Messages API: one sample per request; the static prompt prefix is marked for caching.
#include <nlohmann/json.hpp>

#include "ciri/backends/json_text.hpp"
#include "ciri/backends/keyed.hpp"

namespace ciri {

namespace {

using nlohmann::json;

class AnthropicBackend final : public KeyedBackend {
  public:
    using KeyedBackend::KeyedBackend;


    HttpRequest build_request(const LlmRequest& req, int) const override {
        // Written as text, keys in nlohmann's (sorted) order, so the bytes are what
        // json::dump() gave: the prompt is escaped once, straight into the body.
        std::string body = "{\"max_tokens\":" + std::to_string(req.max_tokens > 0 ? req.max_tokens : 1024);
        body += ",\"messages\":[{\"content\":[";
        // The prefix (instructions and shots) is the same for every file, so it is its own
        // block with cache_control: later requests read it from the provider's cache.
        if (!req.prompt.prefix.empty()) {
            body += "{\"cache_control\":{\"type\":\"ephemeral\"},\"text\":";
            append_json_string(body, req.prompt.prefix);
            body += ",\"type\":\"text\"}";
        }
        if (!req.prompt.body.empty() || req.prompt.prefix.empty()) {
            if (!req.prompt.prefix.empty()) body += ',';
            body += "{\"text\":";
            append_json_string(body, req.prompt.body);
            body += ",\"type\":\"text\"}";
        }
        body += "],\"role\":\"user\"}],\"model\":";
        append_json_string(body, spec_.model);
        if (!req.stop.empty()) body += ",\"stop_sequences\":" + json(req.stop).dump();
        if (!req.prompt.system.empty()) {
            body += ",\"system\":[{\"text\":";
            append_json_string(body, req.prompt.system);
            body += ",\"type\":\"text\"}]";
        }
        body += ",\"temperature\":" + json(req.temperature).dump() + "}";
        HttpRequest http;
        http.url = spec_.base_url + "/v1/messages";
        // A loopback server without a key still gets the header the API requires.
        http.headers = {"Content-Type: application/json", "anthropic-version: 2023-06-01",
                        "x-api-key: " + (key_.empty() ? std::string("local") : key_)};
        http.body = std::move(body);
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
            long written = u.value("cache_creation_input_tokens", 0L);
            reply.usage.prompt = u.value("input_tokens", 0L) + written + read;
            reply.usage.cached_prompt = read;
            reply.usage.cache_write = written;
            reply.usage.completion = u.value("output_tokens", 0L);
        }
        return reply;
    }
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_anthropic_backend(const ModelSpec& spec,
                                                          const BackendConfig& config) {
    return make_keyed_backend<AnthropicBackend>(spec, config, "ANTHROPIC_BASE_URL",
                                     "https://api.anthropic.com", "ANTHROPIC_API_KEY");
}

}  // namespace ciri
