#include "ciri/git.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

extern char** environ;

namespace ciri {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> lines_of(const std::string& text, char sep = '\n') {
    std::vector<std::string> out;
    std::string line;
    std::istringstream in(text);
    while (std::getline(in, line, sep))
        if (!line.empty()) out.push_back(line);
    return out;
}

Error git_error(const GitResult& r, const std::string& what) {
    std::string detail = r.err;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
    if (r.status == -1) detail = "cannot run git (is it installed?)";
    return Error{what + (detail.empty() ? "" : ": " + detail), 0, {}};
}

}  // namespace

GitResult run_git(const fs::path& dir, const std::vector<std::string>& args, const std::string& stdin_text) {
    GitResult result;
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) return result;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
        posix_spawn_file_actions_addclose(&actions, fd);
    // `-C dir` instead of chdir: the parent's working directory is shared by its threads.
    std::vector<std::string> argv_s = {"git", "-C", dir.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        return result;
    }
    // Feed stdin and drain both outputs together, so neither side blocks on a full pipe.
    size_t written = 0;
    if (stdin_text.empty()) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
    } else {
        fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    }
    std::array<pollfd, 3> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}}};
    std::array<std::string*, 2> sinks{&result.out, &result.err};
    char buf[65536];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (poll(fds.data(), fds.size(), -1) < 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) sinks[i]->append(buf, static_cast<size_t>(n));
            else {
                close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(fds[2].fd, stdin_text.data() + written, stdin_text.size() - written);
            if (n > 0) written += static_cast<size_t>(n);
            if (n < 0 || written == stdin_text.size()) {
                close(fds[2].fd);
                fds[2].fd = -1;
            }
        }
    }
    if (fds[2].fd >= 0) close(fds[2].fd);
    int status = 0;
    waitpid(pid, &status, 0);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

Expected<fs::path> git_toplevel(const fs::path& dir) {
    auto r = run_git(dir, {"rev-parse", "--show-toplevel"});
    if (r.status != 0) return std::unexpected(git_error(r, dir.string() + " is not in a git work tree"));
    return fs::path(lines_of(r.out).at(0));
}

Expected<fs::path> git_hooks_dir(const fs::path& dir) {
    auto r = run_git(dir, {"rev-parse", "--path-format=absolute", "--git-path", "hooks"});
    if (r.status != 0) return std::unexpected(git_error(r, "cannot find the git hooks folder"));
    return fs::path(lines_of(r.out).at(0));
}

Expected<std::vector<std::string>> git_changed_files(const fs::path& dir, const std::string& base,
                                                     const std::string& head) {
    // -z: paths verbatim (no quoting of odd names); --no-renames would report a rename as a
    // deletion plus an addition, which filter=d handles the same way.
    auto r = run_git(dir, {"diff", "--name-only", "-z", "--no-ext-diff", "--diff-filter=ACMR", base, head, "--"});
    if (r.status != 0) return std::unexpected(git_error(r, "cannot list the files changed between " + base + " and " + head));
    return lines_of(r.out, '\0');
}

Expected<std::vector<std::string>> git_staged_files(const fs::path& dir) {
    auto r = run_git(dir, {"diff", "--cached", "--name-only", "-z", "--no-ext-diff", "--diff-filter=ACMR", "--"});
    if (r.status != 0) return std::unexpected(git_error(r, "cannot list the staged files"));
    return lines_of(r.out, '\0');
}

Expected<std::vector<std::string>> git_worktree_files(const fs::path& dir) {
    auto r = run_git(dir, {"diff", "--name-only", "-z", "--no-ext-diff", "--diff-filter=ACMR", "--"});
    if (r.status != 0) return std::unexpected(git_error(r, "cannot list the changed files"));
    auto files = lines_of(r.out, '\0');
    auto u = run_git(dir, {"ls-files", "--others", "--exclude-standard", "-z", "--full-name"});
    if (u.status != 0) return std::unexpected(git_error(u, "cannot list the untracked files"));
    for (auto& f : lines_of(u.out, '\0')) files.push_back(std::move(f));
    return files;
}

Expected<std::string> git_merge_base(const fs::path& dir, const std::string& a, const std::string& b) {
    auto r = run_git(dir, {"merge-base", a, b});
    if (r.status != 0) return std::unexpected(git_error(r, a + " and " + b + " share no history"));
    return lines_of(r.out).at(0);
}

Expected<std::string> git_upstream(const fs::path& dir) {
    auto r = run_git(dir, {"rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"});
    if (r.status != 0)
        return std::unexpected(git_error(r, "the current branch has no upstream; name a revision (--changed REV)"));
    return lines_of(r.out).at(0);
}

Expected<std::string> git_show(const fs::path& dir, const std::string& rev, const std::string& path) {
    auto r = run_git(dir, {"show", rev + ":" + path});
    if (r.status != 0) return std::unexpected(git_error(r, path + " does not exist at " + rev));
    return r.out;
}

ScratchTree::ScratchTree(const std::string& purpose)
    : dir_(fs::temp_directory_path() / ("ciri-" + purpose + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
}

ScratchTree::~ScratchTree() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void ScratchTree::put(const std::string& rel, const std::string& text) const {
    fs::path dst = dir_ / rel;
    fs::create_directories(dst.parent_path());
    std::ofstream(dst, std::ios::binary) << text;
}

InDirectory::InDirectory(const fs::path& dir) : old_(fs::current_path()) { fs::current_path(dir); }

InDirectory::~InDirectory() {
    std::error_code ec;
    fs::current_path(old_, ec);
}

bool is_null_sha(const std::string& sha) {
    return !sha.empty() && sha.find_first_not_of('0') == std::string::npos;
}

}  // namespace ciri
