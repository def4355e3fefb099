#include "ciri/backends/backend.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace ciri {

namespace {

// One row per provider; a new backend is one <name>.cpp in this folder plus one row here.
const BackendInfo kBackends[] = {
    {"openai", "OpenAI or any OpenAI-compatible server (vLLM, llama.cpp, LM Studio)", "OPENAI_API_KEY",
     make_openai_backend},
    {"anthropic", "Anthropic Messages API", "ANTHROPIC_API_KEY", make_anthropic_backend},
    {"ollama", "Ollama (local)", "", make_ollama_backend},
    {"command", "a local program: prompt on stdin, answer on stdout", "", make_command_backend},
    {"recorded", "answers recorded in an answers.jsonl (ciri eval import-ciri); model[:mode][:final]@file", "",
     make_recorded_backend},
    {"rules", "ciri's deterministic rules voter, no LLM (rules/auto or rules/<system>)", "", make_rules_backend},
};

}  // namespace

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::none: return "none";
        case ErrorKind::timeout: return "timeout";
        case ErrorKind::rate_limited: return "rate_limited";
        case ErrorKind::http_5xx: return "http_5xx";
        case ErrorKind::network: return "network";
        case ErrorKind::bad_response: return "bad_response";
        case ErrorKind::auth: return "auth";
        case ErrorKind::bad_request: return "bad_request";
        case ErrorKind::offline_miss: return "offline_miss";
    }
    return "unknown";
}

std::string Backend::error_detail(std::string_view body) const {
    // Providers wrap errors as {"error": {"message": ...}} (OpenAI, Anthropic) or {"error": "..."}
    // (Ollama); anything else is not shown, since an unknown body may echo request headers.
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("error")) return {};
    const auto& e = j["error"];
    std::string msg;
    if (e.is_string()) msg = e.get<std::string>();
    else if (e.is_object() && e.contains("message") && e["message"].is_string()) msg = e["message"].get<std::string>();
    if (msg.size() > 300) msg = msg.substr(0, 300) + "...";
    return scrub_secrets(std::move(msg), secrets());
}

LlmResponse Backend::run_local(const LlmRequest&, std::chrono::steady_clock::time_point) const {
    LlmResponse r;
    r.error = ErrorKind::bad_request;
    r.error_message = "backend " + spec().provider + " does not run locally";
    return r;
}

std::span<const BackendInfo> backends() { return kBackends; }

Expected<std::unique_ptr<Backend>> make_backend(const ModelSpec& spec, const BackendConfig& config) {
    for (const auto& info : kBackends)
        if (info.provider == spec.provider) return info.make(spec, config);
    std::string known;
    for (const auto& info : kBackends) known += (known.empty() ? "" : ", ") + std::string(info.provider);
    return fail("unknown provider '" + spec.provider + "' (known: " + known + ")");
}

std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) {
        if (s.empty()) continue;
        for (size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos))
            text.replace(pos, s.size(), "[redacted]");
    }
    return text;
}

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

}  // namespace ciri
