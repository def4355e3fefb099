// The one door to the LLMs: picks the backend for a model spec, answers from the cache when
// it can, and otherwise sends the request through the shared HTTP transport.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ciri/backends/backend.hpp"
#include "ciri/backends/http_client.hpp"
#include "ciri/backends/prices.hpp"
#include "ciri/backends/response_cache.hpp"

namespace ciri {

/// How an LlmClient behaves; the defaults suit a command-line run.
struct LlmClientOptions {
    CacheMode cache_mode = CacheMode::normal;
    std::filesystem::path cache_dir;  ///< empty = ResponseCache::default_dir()
    LaneLimits limits;                ///< per backend, unless overridden in `limits_for`
    /// Per-backend overrides, keyed by the spec as written ("openai/gpt-4o") or by provider
    /// ("openai").
    std::map<std::string, LaneLimits> limits_for;
    std::map<std::string, BackendConfig> config_for;    ///< same keys as limits_for
    /// How long one request may take from when it is first sent, retries included; time
    /// waiting for a free slot (the in-flight limit) does not count.
    std::chrono::milliseconds default_timeout{120000};
    /// The run's end (--deadline): a request still queued or on the wire then fails with
    /// timeout, and never counts toward marking its backend down. max() = none.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    PriceTable prices = PriceTable::with_defaults();
};

/// What one backend did during the run.
struct BackendReport {
    std::string model;       ///< the spec, base URL resolved
    long requests = 0;       ///< LlmRequests submitted
    long http_requests = 0;  ///< HTTP exchanges (or program runs) made, retries included
    long retries = 0;
    long failures = 0;    ///< LlmRequests that ended in an error
    long cache_hits = 0;  ///< LlmRequests answered from the cache (not billed, not in usage)
    bool down = false;    ///< stopped being used after repeated failures
    std::string down_reason;
    Usage usage;                     ///< as billed by the provider, cache hits excluded
    std::optional<double> cost_usd;  ///< estimated; nullopt when the model has no price
};

/// Thread-safe: any number of threads may submit at once.
class LlmClient {
  public:
    explicit LlmClient(LlmClientOptions options = {});
    ~LlmClient();
    LlmClient(const LlmClient&) = delete;
    LlmClient& operator=(const LlmClient&) = delete;

    /// Queues `req` for `spec`. The future always gets a response, never an exception:
    /// failures (unknown provider, missing key, offline miss, HTTP errors after retries,
    /// a backend that is down) come back as LlmResponse::error with a message free of keys.
    std::future<LlmResponse> submit(const ModelSpec& spec, LlmRequest req);

    /// As above, but `done` gets the response: exactly once, on any thread (the transport's,
    /// a local backend's, or this one before submit returns, for a cache hit or a refusal).
    /// It must be quick and must not call submit while holding a lock `done` takes.
    using Done = std::function<void(LlmResponse)>;
    void submit(const ModelSpec& spec, LlmRequest req, Done done);

    /// The backend serving `spec` (created on first use), or why there is none.
    Expected<const Backend*> backend(const ModelSpec& spec);

    /// One row per backend used so far, in first-use order.
    std::vector<BackendReport> report() const;

    const LlmClientOptions& options() const { return options_; }

  private:
    struct Entry;
    Entry& entry(const ModelSpec& spec);

    LlmClientOptions options_;
    ResponseCache cache_;
    mutable std::mutex mu_;
    std::vector<std::unique_ptr<Entry>> entries_;  // guarded by mu_; entries never move or die
    std::condition_variable local_idle_;
    int local_running_ = 0;  // runs of local backends in progress; guarded by mu_
    // Last, so it stops first: its final callbacks still touch the entries and the cache.
    HttpClient http_;
};

}  // namespace ciri
