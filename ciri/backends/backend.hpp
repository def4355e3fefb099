// The small interface every LLM backend implements, and the request/response types
// the rest of ciri speaks. A backend only translates: request -> HTTP exchange -> reply.
// Transport, retries, limits and caching live in LlmClient (llm_client.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "ciri/backends/model_spec.hpp"
#include "prompts/prompt.hpp"

namespace ciri {

/// One query: a prompt and how to sample it.
struct LlmRequest {
    Prompt prompt;
    int samples = 1;                ///< answers wanted (the paper's "n")
    double temperature = 0.2;
    int max_tokens = 1024;          ///< per sample; <= 0 means the provider's default
    std::vector<std::string> stop;  ///< stop sequences
    bool json_mode = false;         ///< ask for a JSON object (OpenAI response_format, Ollama format)
    /// Which round of asking this is for one file; part of the cache key so a re-ask for
    /// fresh samples (after invalid answers) is not answered with the first round's samples.
    int round = 0;
    /// Give up (ErrorKind::timeout) at this instant, queued or not; the default means
    /// LlmClientOptions::deadline. Either way the request also gives up
    /// LlmClientOptions::default_timeout after it is first sent.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// Tokens as the provider reports them. `prompt` includes `cached_prompt`
/// (prompt tokens served from the provider's prefix cache, billed cheaper).
struct Usage {
    long prompt = 0;
    long completion = 0;
    long cached_prompt = 0;
    /// Prompt tokens written to the provider's prefix cache, also in `prompt` (Anthropic bills
    /// them above the input price; OpenAI writes its cache for free and reports none).
    long cache_write = 0;

    Usage& operator+=(const Usage& o) {
        prompt += o.prompt, completion += o.completion, cached_prompt += o.cached_prompt;
        cache_write += o.cache_write;
        return *this;
    }
};

/// Why a response failed. Only none means the samples are complete.
enum class ErrorKind {
    none,
    timeout,       ///< deadline passed (client-side) or HTTP 408
    rate_limited,  ///< HTTP 429 until retries ran out
    http_5xx,      ///< server error until retries ran out
    network,       ///< could not connect, connection dropped, body cut short
    bad_response,  ///< 2xx but not the provider's reply format (malformed, truncated JSON)
    auth,          ///< 401/403, or no API key configured
    bad_request,   ///< other 4xx (bad model name, prompt too long), unknown provider
    offline_miss,  ///< --offline and the answer is not in the cache
};

/// "rate_limited", ...: stable names used in output and tests.
std::string_view to_string(ErrorKind kind);

/// What came back for one LlmRequest.
struct LlmResponse {
    std::vector<std::string> samples;  ///< complete when error == none; may be partial otherwise
    Usage usage;                       ///< for a cached answer: the usage recorded when it was fetched
    double latency_ms = 0;             ///< submit to answer, including waits and retries
    int attempts = 0;                  ///< HTTP requests (or program runs) made; 0 for a cache hit
    ErrorKind error = ErrorKind::none;
    std::string error_message;  ///< short, lowercase, never contains an API key
    bool cached = false;        ///< answered from the response cache: nothing was sent or billed

    bool ok() const { return error == ErrorKind::none; }
};

/// An HTTP exchange a backend wants made. Headers are "Name: value" lines.
struct HttpRequest {
    std::string method = "POST";
    std::string url;
    std::vector<std::string> headers;
    std::string body;
};

/// A provider's successful reply, parsed.
struct ParsedReply {
    std::vector<std::string> samples;
    Usage usage;
};

/// Per-backend settings that come from config rather than the spec.
struct BackendConfig {
    /// Name of the env var holding the API key; empty = the provider's usual one.
    std::string key_env;
    /// For `command`: how long one run may take when the request has no deadline.
    std::chrono::milliseconds command_timeout{120000};
};

/// One model at one provider. Implementations are immutable after construction and
/// safe to use from many threads.
class Backend {
public:
    virtual ~Backend() = default;

    /// The spec with the base URL resolved (spec, else env, else default).
    virtual const ModelSpec& spec() const = 0;
    /// The env var the key was read from ("" when the provider takes none).
    virtual std::string_view key_env() const { return {}; }
    /// True when a key was found, or none is needed (loopback base URL, local provider).
    virtual bool has_key() const { return true; }
    /// Strings that must never be shown (the API key); used to scrub error text.
    virtual std::vector<std::string> secrets() const { return {}; }

    /// How many samples one HTTP request can carry (OpenAI's `n`); the rest are more requests.
    virtual int max_samples_per_request() const { return 1; }
    /// The HTTP exchange asking for `samples` samples of `req`.
    virtual HttpRequest build_request(const LlmRequest& req, int samples) const = 0;
    /// Parses a 2xx reply body; fails when it is not the provider's format.
    virtual Expected<ParsedReply> parse_reply(std::string_view body) const = 0;
    /// The provider's own error message in a non-2xx body ("" when there is none).
    virtual std::string error_detail(std::string_view body) const;

    /// True for backends that run locally instead of speaking HTTP (`command`).
    virtual bool is_local() const { return false; }
    /// Local backends only: produce one sample, honouring `deadline`. Blocking.
    virtual LlmResponse run_local(const LlmRequest& req,
                                  std::chrono::steady_clock::time_point deadline) const;
};

/// A registry row: how to build the backend of one provider.
struct BackendInfo {
    std::string_view provider;
    std::string_view summary;
    std::string_view default_key_env;  ///< "" when no key is used
    Expected<std::unique_ptr<Backend>> (*make)(const ModelSpec&, const BackendConfig&);
};

/// Every provider ciri knows, one row each.
std::span<const BackendInfo> backends();

/// Builds the backend for `spec` from the registry; fails on an unknown provider.
/// A missing key is not an error here (has_key() says so); requests then fail with auth.
Expected<std::unique_ptr<Backend>> make_backend(const ModelSpec& spec, const BackendConfig& config = {});

/// `text` with every non-empty secret replaced by "[redacted]".
std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets);

/// The environment variable `name`, or "" when unset.
std::string env_or_empty(const char* name);

// The per-provider factories the registry lists (one ciri/backends/<provider>.cpp each).
Expected<std::unique_ptr<Backend>> make_openai_backend(const ModelSpec&, const BackendConfig&);
Expected<std::unique_ptr<Backend>> make_anthropic_backend(const ModelSpec&, const BackendConfig&);
Expected<std::unique_ptr<Backend>> make_ollama_backend(const ModelSpec&, const BackendConfig&);
Expected<std::unique_ptr<Backend>> make_command_backend(const ModelSpec&, const BackendConfig&);
Expected<std::unique_ptr<Backend>> make_recorded_backend(const ModelSpec&, const BackendConfig&);
Expected<std::unique_ptr<Backend>> make_rules_backend(const ModelSpec&, const BackendConfig&);

}  // namespace ciri
