// ciri-emulator: a loopback LLM server for tests and benchmarks (see briefs/emulator_spec.md).
#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include "tests/emulator/options.hpp"
#include "tests/emulator/server.hpp"

int main(int argc, char** argv) {
    auto options = ciri::emulator::parse_options(argc, argv);
    if (!options) return options.error();

    // Signals are taken by one thread with sigwait; every other thread must block them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    if (options->exit_with_parent) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1) return 0;  // the parent died before prctl took effect
    }

    try {
        ciri::emulator::EmulatorServer server(*options);
        int port = server.bind();
        std::printf("listening on http://127.0.0.1:%d\n", port);
        std::fflush(stdout);

        std::mutex mutex;
        std::condition_variable finished_cv;
        bool finished = false;
        std::thread waiter([&] {
            int signal = 0;
            sigwait(&signals, &signal);
            server.stop();
            // Idle keep-alive connections can hold the pool for seconds; do not wait for them.
            std::unique_lock lock(mutex);
            if (!finished_cv.wait_for(lock, std::chrono::seconds(2), [&] { return finished; })) {
                std::fflush(nullptr);
                std::_Exit(0);
            }
        });
        server.run();
        {
            std::lock_guard lock(mutex);
            finished = true;
        }
        finished_cv.notify_all();
        pthread_kill(waiter.native_handle(), SIGTERM);  // no-op if it already got one
        waiter.join();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ciri-emulator: error: %s\n", e.what());
        return 2;
    }
    return 0;
}
