// --rpm: a sliding one-minute window of admitted requests.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>

namespace ciri::emulator {

/// Admits at most `rpm` requests in any 60 s window (thread-safe); 0 admits everything.
class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(long rpm);

    /// nullopt when the request at `now` is admitted (and counted); otherwise the whole
    /// seconds (>= 1) until the window has room again, for Retry-After.
    std::optional<long> admit(Clock::time_point now = Clock::now());

    /// Forgets every admitted request.
    void clear();

  private:
    long rpm_;
    std::mutex mutex_;
    std::deque<Clock::time_point> admitted_;  // never longer than rpm_
};

}  // namespace ciri::emulator
