#include "tests/emulator/sleeper.hpp"

namespace ciri::emulator {

bool Sleeper::sleep_for(std::chrono::milliseconds duration) {
    if (duration.count() <= 0) return true;
    std::unique_lock lock(mutex_);
    return !cv_.wait_for(lock, duration, [this] { return stopping_; });
}

void Sleeper::wake_all() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
}

}  // namespace ciri::emulator
