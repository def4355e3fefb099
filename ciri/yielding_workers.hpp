// While LLMs are asked, the transport thread must not wait for the CPU: oneTBB's worker threads
// (loading, prompting and checking files ahead) run at a lower priority than it.
#pragma once

#include <memory>

namespace ciri {

/// For its lifetime, every oneTBB worker thread that enters the scheduler lowers its own
/// priority by `nice_increment` (setpriority, which any process may do to its own threads;
/// the change stays with the thread). The calling thread and the HTTP client's thread keep
/// theirs. On an idle machine the workers still get every free cycle; when the CPU is short,
/// sending and reading answers, which the whole run waits on, goes first.
class YieldingWorkers {
  public:
    explicit YieldingWorkers(int nice_increment = 10);
    ~YieldingWorkers();
    YieldingWorkers(const YieldingWorkers&) = delete;
    YieldingWorkers& operator=(const YieldingWorkers&) = delete;

  private:
    struct Observer;
    std::unique_ptr<Observer> observer_;
};

}  // namespace ciri
