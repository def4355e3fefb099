#include "ciri/backends/llm_client.hpp"

#include <semaphore>
#include <thread>

namespace ciri {

using Clock = std::chrono::steady_clock;

struct LlmClient::Entry {
    std::string given;  // the spec as submitted: the map key
    ModelSpec spec;     // resolved when the backend exists
    std::unique_ptr<Backend> backend;
    std::string make_error;
    int lane = -1;
    LaneLimits limits;
    std::unique_ptr<std::counting_semaphore<4096>> local_slots;

    std::mutex mu;  // guards the counters below
    long requests = 0, failures = 0, cache_hits = 0, local_runs = 0;
    Usage usage;
    int local_failures_in_row = 0;
    bool local_down = false;
    ErrorKind local_down_error = ErrorKind::none;
    std::string local_down_reason;

    // Counts a finished, non-cached request.
    void record(const LlmResponse& r) {
        std::lock_guard lock(mu);
        usage += r.usage;
        if (!r.ok()) failures++;
    }
};

namespace {

template <class T>
const T* find_for(const std::map<std::string, T>& m, const ModelSpec& spec) {
    if (auto it = m.find(spec.to_string()); it != m.end()) return &it->second;
    if (auto it = m.find(spec.provider); it != m.end()) return &it->second;
    return nullptr;
}

LlmResponse failure(ErrorKind kind, std::string message) {
    LlmResponse r;
    r.error = kind;
    r.error_message = std::move(message);
    return r;
}

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Collects the replies of the HTTP requests one LlmRequest was split into.
struct Gather {
    std::mutex mu;
    LlmClient::Done done;
    std::vector<std::optional<ParsedReply>> parts;
    int remaining = 0;
    int attempts = 0;
    ErrorKind error = ErrorKind::none;
    std::string error_message;
    Clock::time_point start;
    std::string cache_key;  // empty: do not store
};

}  // namespace

LlmClient::LlmClient(LlmClientOptions options)
    : options_(std::move(options)),
      cache_(options_.cache_dir.empty() ? ResponseCache::default_dir() : options_.cache_dir) {}

LlmClient::~LlmClient() {
    std::unique_lock lock(mu_);
    local_idle_.wait(lock, [&] { return local_running_ == 0; });
}

LlmClient::Entry& LlmClient::entry(const ModelSpec& spec) {
    std::string given = spec.to_string();
    std::lock_guard lock(mu_);
    for (auto& e : entries_)
        if (e->given == given) return *e;
    auto e = std::make_unique<Entry>();
    e->given = given;
    e->spec = spec;
    const BackendConfig* cfg = find_for(options_.config_for, spec);
    auto made = make_backend(spec, cfg ? *cfg : BackendConfig{});
    const LaneLimits* lim = find_for(options_.limits_for, spec);
    e->limits = lim ? *lim : options_.limits;
    if (made) {
        e->backend = std::move(*made);
        e->spec = e->backend->spec();
        if (e->backend->is_local())
            e->local_slots = std::make_unique<std::counting_semaphore<4096>>(
                std::clamp(e->limits.max_in_flight, 1, 4096));
        else
            e->lane = http_.add_lane(e->spec.to_string(), e->limits);
    } else {
        e->make_error = made.error().message;
    }
    entries_.push_back(std::move(e));
    return *entries_.back();
}

Expected<const Backend*> LlmClient::backend(const ModelSpec& spec) {
    Entry& e = entry(spec);
    if (!e.backend) return fail(e.make_error);
    return e.backend.get();
}

std::future<LlmResponse> LlmClient::submit(const ModelSpec& spec, LlmRequest req) {
    auto promise = std::make_shared<std::promise<LlmResponse>>();
    auto fut = promise->get_future();
    submit(spec, std::move(req), [promise](LlmResponse r) { promise->set_value(std::move(r)); });
    return fut;
}

void LlmClient::submit(const ModelSpec& spec, LlmRequest req, Done done) {
    auto start = Clock::now();
    Entry& e = entry(spec);
    {
        std::lock_guard lock(e.mu);
        e.requests++;
    }
    auto reject = [&](ErrorKind kind, std::string message) {
        LlmResponse r = failure(kind, std::move(message));
        r.latency_ms = ms_since(start);
        e.record(r);
        done(std::move(r));
    };
    if (!e.backend) return reject(ErrorKind::bad_request, e.make_error);
    const Backend& backend = *e.backend;
    if (req.samples < 1) return reject(ErrorKind::bad_request, "samples must be at least 1");

    std::string cache_key;
    if (options_.cache_mode != CacheMode::no_cache) {
        cache_key = ResponseCache::key(e.spec, req);
        if (auto hit = cache_.load(cache_key);
            hit && static_cast<int>(hit->samples.size()) == req.samples) {
            hit->latency_ms = ms_since(start);
            {
                std::lock_guard lock(e.mu);
                e.cache_hits++;
            }
            return done(std::move(*hit));
        }
        if (options_.cache_mode == CacheMode::offline)
            return reject(ErrorKind::offline_miss,
                          "offline: no cached answer for this request to " + e.spec.to_string());
    }
    if (options_.cache_mode != CacheMode::normal) cache_key.clear();
    // Checked after the cache, so --offline works without keys.
    if (!backend.has_key())
        return reject(ErrorKind::auth, "no api key: set " + std::string(backend.key_env()) +
                                           " for " + e.spec.to_string());
    // The run's end bounds every request; its own timeout starts only when it is sent.
    req.deadline = std::min(req.deadline, options_.deadline);

    if (backend.is_local()) {
        {
            std::lock_guard lock(mu_);
            local_running_++;
        }
        // One thread per run, as std::async would; the destructor waits for them all.
        std::thread([this, &e, req = std::move(req), start, cache_key, done = std::move(done)] {
            LlmResponse out;
            {
                std::lock_guard lock(e.mu);
                if (e.local_down)
                    out = failure(e.local_down_error, "backend down: " + e.local_down_reason);
            }
            // Waiting for a free slot is queueing: bound by the run's end only.
            bool slot = out.ok();
            if (slot) {
                if (req.deadline == Clock::time_point::max()) e.local_slots->acquire();
                else slot = e.local_slots->try_acquire_until(req.deadline);
                if (!slot) out = failure(ErrorKind::timeout, "deadline passed while queued");
            }
            if (slot) {
                auto sent = Clock::now();
                auto ends = std::min(req.deadline, sent + options_.default_timeout);
                for (int i = 0; i < req.samples && out.ok(); ++i) {
                    LlmResponse one = e.backend->run_local(req, ends);
                    out.attempts += one.attempts;
                    out.usage += one.usage;
                    if (!one.ok()) {
                        out.error = one.error;
                        out.error_message = scrub_secrets(one.error_message, e.backend->secrets());
                    } else {
                        out.samples.push_back(std::move(one.samples.front()));
                    }
                }
                e.local_slots->release();
                // Cut by the run's end rather than by the program: not the backend's fault.
                bool cut = out.error == ErrorKind::timeout && ends == req.deadline &&
                           Clock::now() >= req.deadline - std::chrono::milliseconds(5);
                std::lock_guard lock(e.mu);
                e.local_runs += out.attempts;
                if (out.ok()) {
                    e.local_failures_in_row = 0;
                } else if (!cut && !e.local_down &&
                           ++e.local_failures_in_row >= e.limits.down_after) {
                    e.local_down = true;
                    e.local_down_error = out.error;
                    e.local_down_reason = std::to_string(e.local_failures_in_row) +
                                          " requests failed in a row, last: " + out.error_message;
                }
            }
            out.latency_ms = ms_since(start);
            e.record(out);
            if (out.ok() && !cache_key.empty()) (void)cache_.store(cache_key, out);
            done(std::move(out));
            // Notified under the lock: once it is released the destructor may run.
            std::lock_guard lock(mu_);
            local_running_--;
            local_idle_.notify_all();
        }).detach();
        return;
    }

    // Split the samples over as few HTTP requests as the provider allows.
    int per = std::max(1, backend.max_samples_per_request());
    int parts = (req.samples + per - 1) / per;
    auto g = std::make_shared<Gather>();
    g->parts.resize(parts);
    g->remaining = parts;
    g->start = start;
    g->cache_key = std::move(cache_key);
    g->done = std::move(done);
    long prompt_tokens = static_cast<long>(req.prompt.system.size() + req.prompt.prefix.size() +
                                           req.prompt.body.size()) /
                         4;
    for (int i = 0; i < parts; ++i) {
        int n = std::min(per, req.samples - i * per);
        HttpRequest http = backend.build_request(req, n);
        long tokens = prompt_tokens + static_cast<long>(std::max(req.max_tokens, 0)) * n;
        // The validator runs on the transport's thread; a reply that does not parse is retried.
        auto validate = [g, i, n, &backend](const HttpResult& r) -> std::string {
            auto parsed = backend.parse_reply(r.body);
            if (!parsed) return parsed.error().message;
            if (static_cast<int>(parsed->samples.size()) != n)
                return "asked for " + std::to_string(n) + " samples, got " +
                       std::to_string(parsed->samples.size());
            std::lock_guard lock(g->mu);
            g->parts[i] = std::move(*parsed);
            return {};
        };
        auto finish = [this, g, &e, &backend](HttpResult r) {
            std::unique_lock lock(g->mu);
            g->attempts += r.attempts;
            if (r.error != ErrorKind::none && g->error == ErrorKind::none) {
                g->error = r.error;
                std::string detail = r.status >= 400 ? backend.error_detail(r.body) : std::string();
                g->error_message = scrub_secrets(
                    r.error_message + (detail.empty() ? "" : ": " + detail), backend.secrets());
            }
            if (--g->remaining > 0) return;
            LlmResponse out;
            out.attempts = g->attempts;
            out.error = g->error;
            out.error_message = g->error_message;
            for (auto& part : g->parts) {
                if (!part) continue;
                for (auto& s : part->samples) out.samples.push_back(std::move(s));
                out.usage += part->usage;
            }
            out.latency_ms = ms_since(g->start);
            lock.unlock();
            e.record(out);
            if (out.ok() && !g->cache_key.empty()) (void)cache_.store(g->cache_key, out);
            g->done(std::move(out));
        };
        http_.submit(e.lane, std::move(http), req.deadline, tokens, std::move(validate),
                     std::move(finish), options_.default_timeout);
    }
}

std::vector<BackendReport> LlmClient::report() const {
    std::vector<BackendReport> out;
    std::lock_guard lock(mu_);
    for (const auto& e : entries_) {
        BackendReport r;
        r.model = e->spec.to_string();
        {
            std::lock_guard elock(e->mu);
            r.requests = e->requests;
            r.failures = e->failures;
            r.cache_hits = e->cache_hits;
            r.usage = e->usage;
            r.http_requests = e->local_runs;
            r.down = e->local_down;
            r.down_reason = e->local_down_reason;
        }
        if (e->lane >= 0) {
            LaneStats s = http_.stats(e->lane);
            r.http_requests = s.attempts;
            r.retries = s.retries;
            r.down = s.down;
            r.down_reason = s.down_reason;
        }
        if (!e->backend) {
            r.down = true;
            r.down_reason = e->make_error;
        }
        if (e->backend) r.down_reason = scrub_secrets(r.down_reason, e->backend->secrets());
        r.cost_usd = options_.prices.cost(e->spec, r.usage);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace ciri
