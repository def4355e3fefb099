// Ollama's native chat API: one sample per request, usually a local server.
#include <nlohmann/json.hpp>

#include "ciri/backends/backend.hpp"
#include "ciri/backends/json_text.hpp"

namespace ciri {

namespace {

using nlohmann::json;

class OllamaBackend final : public Backend {
  public:
    explicit OllamaBackend(ModelSpec spec) : spec_(std::move(spec)) {}

    const ModelSpec& spec() const override { return spec_; }

    HttpRequest build_request(const LlmRequest& req, int) const override {
        // Written as text, keys in nlohmann's (sorted) order, so the bytes are what
        // json::dump() gave: the prompt is escaped once, straight into the body.
        std::string body = "{";
        if (req.json_mode) body += "\"format\":\"json\",";
        body += "\"messages\":";
        append_chat_messages(body, req.prompt);
        body += ",\"model\":";
        append_json_string(body, spec_.model);
        json options = {{"temperature", req.temperature}};
        if (req.max_tokens > 0) options["num_predict"] = req.max_tokens;
        if (!req.stop.empty()) options["stop"] = req.stop;
        body += ",\"options\":" + options.dump() + ",\"stream\":false}";
        HttpRequest http;
        http.url = spec_.base_url + "/api/chat";
        http.headers = {"Content-Type: application/json"};
        http.body = std::move(body);
        return http;
    }

    Expected<ParsedReply> parse_reply(std::string_view body) const override {
        auto j = json::parse(body, nullptr, false);
        if (j.is_discarded()) return fail("reply is not json");
        if (!j.is_object() || !j.contains("message") || !j["message"].is_object() ||
            !j["message"].contains("content") || !j["message"]["content"].is_string())
            return fail("reply has no message content");
        ParsedReply reply;
        reply.samples.push_back(j["message"]["content"].get<std::string>());
        reply.usage.prompt = j.value("prompt_eval_count", 0L);
        reply.usage.completion = j.value("eval_count", 0L);
        return reply;
    }

  private:
    ModelSpec spec_;
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_ollama_backend(const ModelSpec& given,
                                                       const BackendConfig&) {
    ModelSpec spec = given;
    if (spec.base_url.empty()) spec.base_url = env_or_empty("OLLAMA_HOST");
    if (spec.base_url.empty()) spec.base_url = "http://127.0.0.1:11434";
    // OLLAMA_HOST is often just host:port, as the ollama CLI accepts it.
    if (spec.base_url.find("://") == std::string::npos) spec.base_url = "http://" + spec.base_url;
    while (spec.base_url.ends_with('/')) spec.base_url.pop_back();
    return std::make_unique<OllamaBackend>(std::move(spec));
}

}  // namespace ciri
