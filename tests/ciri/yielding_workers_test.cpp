#include "ciri/yielding_workers.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

using namespace ciri;

namespace {

int own_nice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))); }

// The nice values of the threads that ran a parallel loop's bodies, the caller's apart.
std::pair<std::set<int>, std::set<int>> nice_in_loop() {
    const auto caller = std::this_thread::get_id();
    std::mutex mu;
    std::set<int> workers, callers;
    tbb::parallel_for(0, 2000, [&](int) {
        int n = own_nice();
        std::lock_guard lock(mu);
        (std::this_thread::get_id() == caller ? callers : workers).insert(n);
        std::this_thread::sleep_for(std::chrono::microseconds(50));  // so workers take a share
    });
    return {workers, callers};
}

}  // namespace

TEST_CASE("yielding_workers: oneTBB's workers run below the caller while it lives", "[yielding_workers]") {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 3);
    const int base = own_nice();
    if (base + 10 > 19) return;  // already as low as it goes: nothing to see
    {
        YieldingWorkers yielding;
        auto [workers, callers] = nice_in_loop();
        REQUIRE_FALSE(workers.empty());
        CHECK(workers == std::set<int>{base + 10});
        for (int n : callers) CHECK(n == base);  // the calling thread keeps its priority
    }
    CHECK(own_nice() == base);
}
