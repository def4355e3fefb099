// Sleeps that end early when the emulator shuts down, so SIGTERM never waits for a slow fault.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ciri::emulator {

/// Interruptible sleeping shared by all request threads (thread-safe).
class Sleeper {
  public:
    /// Sleeps `duration`, or less if wake_all() is called; returns false when woken early.
    bool sleep_for(std::chrono::milliseconds duration);

    /// Ends every current and future sleep at once.
    void wake_all();

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
};

}  // namespace ciri::emulator
