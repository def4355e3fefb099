// Starts build/ciri-emulator for a test and talks to its control endpoints.
// Link the test suite with `ciri_test_support` (defined in tests/emulator/CMakeLists.txt).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ciri::test {

/// A running ciri-emulator child process, stopped (SIGTERM, then waited for) on destruction.
class EmulatorProcess {
  public:
    /// Starts `<build dir>/ciri-emulator --port 0 <args...>` and waits for its
    /// "listening on http://127.0.0.1:PORT" line; throws std::runtime_error when it does not
    /// come within `timeout` (the child is killed) or the binary is missing.
    explicit EmulatorProcess(std::vector<std::string> args = {},
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~EmulatorProcess();
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;

    /// "http://127.0.0.1:PORT".
    std::string base_url() const;

    /// The port it listens on.
    int port() const { return port_; }

    /// The child's process id.
    pid_t pid() const { return pid_; }

    /// GET /stats, parsed; throws std::runtime_error when the request fails.
    nlohmann::json stats() const;

    /// POST /reset: zeroes stats, rewinds scripts and recorded answers, empties prompt caches.
    void reset() const;

    /// Sends SIGTERM and waits (5 s, then SIGKILL); returns the exit status as from waitpid.
    /// Called by the destructor if not called before.
    int stop();

    /// The emulator binary used: $CIRI_EMULATOR if set, else <CIRI_BINARY_DIR>/ciri-emulator.
    static std::filesystem::path binary();

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    int stdout_fd_ = -1;
    int status_ = 0;
};

}  // namespace ciri::test
