#include "tests/emulator/rate_limiter.hpp"

namespace ciri::emulator {

RateLimiter::RateLimiter(long rpm) : rpm_(rpm) {}

std::optional<long> RateLimiter::admit(Clock::time_point now) {
    if (rpm_ <= 0) return std::nullopt;
    constexpr auto kWindow = std::chrono::seconds(60);
    std::lock_guard lock(mutex_);
    while (!admitted_.empty() && now - admitted_.front() >= kWindow) admitted_.pop_front();
    if (static_cast<long>(admitted_.size()) < rpm_) {
        admitted_.push_back(now);
        return std::nullopt;
    }
    auto wait = admitted_.front() + kWindow - now;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
    return std::max<long>(1, static_cast<long>((ms + 999) / 1000));
}

void RateLimiter::clear() {
    std::lock_guard lock(mutex_);
    admitted_.clear();
}

}  // namespace ciri::emulator
