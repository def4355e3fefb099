#include "ciri/yielding_workers.hpp"

#include <sys/resource.h>
#include <algorithm>
#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>

#include <tbb/task_scheduler_observer.h>

namespace ciri {

struct YieldingWorkers::Observer : tbb::task_scheduler_observer {
    explicit Observer(int increment) : increment_(increment) { observe(true); }
    ~Observer() override { observe(false); }

    void on_scheduler_entry(bool worker) override {
        if (!worker) return;
        auto tid = static_cast<id_t>(syscall(SYS_gettid));
        errno = 0;
        int now = getpriority(PRIO_PROCESS, tid);
        if (errno != 0) return;
        // Only ever lowered, once per thread: a worker entering twice keeps the first value.
        if (now < base_ + increment_) setpriority(PRIO_PROCESS, tid, std::min(19, base_ + increment_));
    }

  private:
    int increment_;
    int base_ = getpriority(PRIO_PROCESS, 0);  // the process's own nice value
};

YieldingWorkers::YieldingWorkers(int nice_increment) : observer_(std::make_unique<Observer>(nice_increment)) {}

YieldingWorkers::~YieldingWorkers() = default;

}  // namespace ciri
