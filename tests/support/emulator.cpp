#include "tests/support/emulator.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <httplib.h>

extern char** environ;

namespace ciri::test {
namespace {

constexpr std::string_view kListening = "listening on http://127.0.0.1:";

}  // namespace

std::filesystem::path EmulatorProcess::binary() {
    if (const char* path = std::getenv("CIRI_EMULATOR")) return path;
    return std::filesystem::path(CIRI_BINARY_DIR) / "ciri-emulator";
}

EmulatorProcess::EmulatorProcess(std::vector<std::string> args, std::chrono::milliseconds timeout) {
    std::filesystem::path program = binary();
    if (!std::filesystem::exists(program)) {
        throw std::runtime_error("emulator not built: " + program.string());
    }
    std::vector<std::string> argv_strings = {program.string(), "--port", "0", "--exit-with-parent"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
        close(pipe_fds[0]);
        throw std::runtime_error("cannot start " + program.string() + ": " +
                                 std::strerror(spawned));
    }
    stdout_fd_ = pipe_fds[0];

    std::string line;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd poll_fd{stdout_fd_, POLLIN, 0};
        int ready = left.count() > 0 ? poll(&poll_fd, 1, static_cast<int>(left.count())) : 0;
        if (ready < 0 && errno == EINTR) continue;
        char buffer[256];
        ssize_t got = ready > 0 ? read(stdout_fd_, buffer, sizeof buffer) : 0;
        if (got <= 0) {
            std::string why =
                ready == 0 ? "did not start within " + std::to_string(timeout.count()) + " ms"
                           : "exited before listening";
            stop();
            throw std::runtime_error("ciri-emulator " + why + " (output: '" + line + "')");
        }
        line.append(buffer, static_cast<std::size_t>(got));
    }
    line.resize(line.find('\n'));
    if (!line.starts_with(kListening)) {
        stop();
        throw std::runtime_error("unexpected first line from ciri-emulator: '" + line + "'");
    }
    port_ = std::stoi(line.substr(kListening.size()));
}

EmulatorProcess::~EmulatorProcess() {
    stop();
}

int EmulatorProcess::stop() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (true) {
            pid_t done = waitpid(pid_, &status_, WNOHANG);
            if (done == pid_ || (done < 0 && errno != EINTR)) break;
            if (std::chrono::steady_clock::now() > deadline) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &status_, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        pid_ = -1;
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
        stdout_fd_ = -1;
    }
    return status_;
}

std::string EmulatorProcess::base_url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

nlohmann::json EmulatorProcess::stats() const {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Get("/stats");
    if (!res || res->status != 200) throw std::runtime_error("GET /stats failed");
    return nlohmann::json::parse(res->body);
}

void EmulatorProcess::reset() const {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Post("/reset", "", "application/json");
    if (!res || res->status != 200) throw std::runtime_error("POST /reset failed");
}

}  // namespace ciri::test
