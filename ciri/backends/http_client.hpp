// HTTP transport for the backends: libcurl's multi interface driven by one event-loop thread.
// Requests are grouped in lanes (one per backend) that carry the limits, the retry policy
// and the "down" state; any thread may submit.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>

#include "ciri/backends/backend.hpp"

namespace ciri {

/// How failed attempts are retried: 408, 429, 5xx, network errors and unusable 2xx bodies.
/// 400/401/403/404 and other 4xx are never retried.
struct RetryPolicy {
    int max_attempts = 4;  ///< attempts in total, first one included
    std::chrono::milliseconds base_delay{
        500};  ///< backoff before attempt k+1: base * 2^(k-1), jittered
    std::chrono::milliseconds max_delay{20000};
};

/// Limits and policies of one lane (one backend).
struct LaneLimits {
    int max_in_flight = 8;        ///< requests on the wire at once
    int requests_per_minute = 0;  ///< 0 = unlimited
    long tokens_per_minute = 0;   ///< estimated tokens started per minute; 0 = unlimited
    int down_after = 5;  ///< consecutive failed requests (after retries) that mark the lane down
    RetryPolicy retry;
};

/// The outcome of one submitted request after all its attempts.
struct HttpResult {
    long status = 0;  ///< last HTTP status; 0 when no response arrived
    std::string body;
    ErrorKind error = ErrorKind::none;
    std::string error_message;  ///< e.g. "http 503", "network error: couldn't connect to server"
    int attempts = 0;
    double latency_ms = 0;  ///< submit to completion, queueing and backoff included
    /// Ended by the run's `deadline` (queued, waiting to retry, or on the wire) rather than by
    /// the backend: it never counts toward marking the lane down.
    bool cut_by_deadline = false;
};

/// Counters of one lane.
struct LaneStats {
    long requests = 0;  ///< submitted requests
    long attempts = 0;  ///< HTTP exchanges started
    long retries = 0;
    long failures = 0;  ///< requests that ended in an error
    bool down = false;
    ErrorKind down_error = ErrorKind::none;
    std::string down_reason;
};

/// The transport. Thread-safe; callbacks run on the event-loop thread and must be quick.
class HttpClient {
  public:
    using Clock = std::chrono::steady_clock;
    /// Checks a 2xx reply; returns "" to accept it or why it is unusable (then it counts as
    /// bad_response and is retried).
    using Validator = std::function<std::string(const HttpResult&)>;
    using Callback = std::function<void(HttpResult)>;

    /// Starts the event-loop thread. `user_agent` is sent with every request.
    explicit HttpClient(std::string user_agent = std::string("ciri/") + CIRI_VERSION);
    /// Stops the loop; requests still pending complete with a network error.
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Adds a lane and returns its id (never reused).
    int add_lane(std::string name, LaneLimits limits = {});

    /// Queues `req` on `lane`; `done` is called exactly once with the final result. The request
    /// fails with timeout `timeout` after it is first sent (retries and their backoff included;
    /// time waiting in the queue before that does not count; zero = no such limit), and in any
    /// case at `deadline` (the run's end: queued or on the wire). Running past `deadline` never
    /// counts toward marking the lane down, running past `timeout` does. `tokens` is its
    /// estimated size for tokens_per_minute. On a lane that is down it fails at once with the
    /// lane's error.
    void submit(int lane, HttpRequest req, Clock::time_point deadline, long tokens,
                Validator validate, Callback done, Clock::duration timeout = Clock::duration::zero());

    /// As above, returning a future; every 2xx body is accepted.
    std::future<HttpResult> submit(int lane, HttpRequest req, Clock::time_point deadline,
                                   long tokens = 0, Clock::duration timeout = Clock::duration::zero());

    /// A snapshot of the lane's counters.
    LaneStats stats(int lane) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ciri
