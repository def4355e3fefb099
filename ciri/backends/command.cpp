// A local program as a model: the prompt on stdin, one answer on stdout. The escape hatch
// for any LLM ciri has no backend for (a CLI, a script around an SDK).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <tuple>

#include "ciri/backends/backend.hpp"

extern char** environ;

namespace ciri {

namespace {

using Clock = std::chrono::steady_clock;

// Closes a descriptor once, on scope exit or on demand.
struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

// SIGPIPE from writing to a program that exited early must not kill ciri: it is blocked in
// this thread while the program runs, and any pending one is swallowed afterwards.
class SigpipeBlock {
  public:
    SigpipeBlock() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeBlock() {
        timespec zero{};
        while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }

  private:
    sigset_t pipe_, old_;
};

class CommandBackend final : public Backend {
  public:
    CommandBackend(ModelSpec spec, std::chrono::milliseconds timeout)
        : spec_(std::move(spec)), timeout_(timeout) {}

    const ModelSpec& spec() const override { return spec_; }
    bool is_local() const override { return true; }

    HttpRequest build_request(const LlmRequest&, int) const override { return {}; }
    Expected<ParsedReply> parse_reply(std::string_view) const override {
        return fail("command backend has no http reply");
    }

    LlmResponse run_local(const LlmRequest& req, Clock::time_point deadline) const override {
        auto start = Clock::now();
        if (deadline == Clock::time_point::max() || deadline > start + timeout_)
            deadline = start + timeout_;
        LlmResponse r = run_once(req, deadline);
        r.attempts = 1;
        r.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        return r;
    }

  private:
    static LlmResponse failure(ErrorKind kind, std::string message) {
        LlmResponse r;
        r.error = kind;
        r.error_message = std::move(message);
        return r;
    }

    LlmResponse run_once(const LlmRequest& req, Clock::time_point deadline) const {
        const std::string& path = spec_.model;
        std::string input = req.prompt.system.empty()
                                ? req.prompt.user()
                                : req.prompt.system + "\n\n" + req.prompt.user();

        int p_in[2], p_out[2], p_err[2];
        // O_CLOEXEC: programs spawned by other threads at the same time must not inherit
        // these ends, or our reads would never see end-of-file.
        if (pipe2(p_in, O_CLOEXEC) || pipe2(p_out, O_CLOEXEC) || pipe2(p_err, O_CLOEXEC))
            return failure(ErrorKind::network,
                           std::string("cannot create pipes: ") + std::strerror(errno));
        Fd in_r{p_in[0]}, in_w{p_in[1]}, out_r{p_out[0]}, out_w{p_out[1]}, err_r{p_err[0]},
            err_w{p_err[1]};

        // The program learns the sampling parameters from its environment.
        std::ostringstream temperature;
        temperature << req.temperature;
        std::vector<std::string> env_strings = {
            "CIRI_TEMPERATURE=" + temperature.str(),
            "CIRI_MAX_TOKENS=" + std::to_string(req.max_tokens),
            std::string("CIRI_JSON_MODE=") + (req.json_mode ? "1" : "0")};
        std::vector<char*> envp;
        for (char** e = environ; e && *e; ++e)
            if (!std::string_view(*e).starts_with("CIRI_TEMPERATURE=") &&
                !std::string_view(*e).starts_with("CIRI_MAX_TOKENS=") &&
                !std::string_view(*e).starts_with("CIRI_JSON_MODE="))
                envp.push_back(*e);
        for (auto& s : env_strings) envp.push_back(s.data());
        envp.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, p_in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, p_out[1], 1);
        posix_spawn_file_actions_adddup2(&actions, p_err[1], 2);
        std::string prog = path;
        char* argv[] = {prog.data(), nullptr};
        pid_t pid = -1;
        SigpipeBlock no_sigpipe;
        int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0)
            return failure(ErrorKind::bad_request, "cannot run " + path + ": " + std::strerror(rc));
        in_r.reset(), out_w.reset(), err_w.reset();
        for (int fd : {in_w.fd, out_r.fd, err_r.fd})
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

        std::string out, err;
        size_t written = 0;
        bool timed_out = false;
        if (input.empty()) in_w.reset();
        while (out_r.fd >= 0 || err_r.fd >= 0) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                    .count();
            if (left <= 0) {
                timed_out = true;
                break;
            }
            pollfd fds[3] = {{in_w.fd, POLLOUT, 0}, {out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
            if (::poll(fds, 3, static_cast<int>(std::min<long long>(left, 1000))) < 0 &&
                errno != EINTR)
                break;
            if (in_w.fd >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
                ssize_t n = ::write(in_w.fd, input.data() + written, input.size() - written);
                if (n > 0) written += static_cast<size_t>(n);
                // EPIPE: the program stopped reading; what it prints is still its answer.
                if ((n < 0 && errno != EAGAIN) || written == input.size()) in_w.reset();
            }
            char buf[65536];
            for (auto [fd, sink, limit] : {std::tuple{&out_r, &out, size_t(64) << 20},
                                           std::tuple{&err_r, &err, size_t(4096)}}) {
                if (fd->fd < 0) continue;
                short ev = fd == &out_r ? fds[1].revents : fds[2].revents;
                if (!(ev & (POLLIN | POLLHUP | POLLERR))) continue;
                ssize_t n = ::read(fd->fd, buf, sizeof buf);
                if (n > 0)
                    sink->append(buf, std::min(static_cast<size_t>(n),
                                               limit - std::min(limit, sink->size())));
                else if (n == 0 || errno != EAGAIN)
                    fd->reset();
            }
        }
        in_w.reset();
        if (timed_out) ::kill(pid, SIGKILL);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (timed_out) {
            return failure(ErrorKind::timeout, path + " did not answer before the deadline");
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::string why = WIFEXITED(status)
                                  ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                  : "was killed by signal " + std::to_string(WTERMSIG(status));
            std::string first = err.substr(0, err.find('\n'));
            if (first.size() > 200) first = first.substr(0, 200) + "...";
            return failure(ErrorKind::bad_response,
                           path + " " + why + (first.empty() ? "" : ": " + first));
        }
        LlmResponse r;
        r.samples.push_back(std::move(out));
        return r;
    }

    ModelSpec spec_;
    std::chrono::milliseconds timeout_;
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_command_backend(const ModelSpec& spec,
                                                        const BackendConfig& config) {
    if (!spec.model.starts_with('/'))
        return fail("command backend needs an absolute program path: command//path/to/prog, got '" +
                    spec.model + "'");
    struct stat st {};
    if (::stat(spec.model.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        ::access(spec.model.c_str(), X_OK) != 0)
        return fail("command backend: '" + spec.model + "' is not an executable file");
    return std::make_unique<CommandBackend>(spec, config.command_timeout);
}

}  // namespace ciri
