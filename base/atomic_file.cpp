#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>

namespace fs = std::filesystem;

namespace ciri {

namespace {

constexpr std::string_view kTmpSuffix = ".tmp";

// The temporary name of one write: hidden, beside the target, unique per process, thread
// and call (so concurrent writers never share one), and carrying the writer's pid so a later
// write can tell a leftover of a killed writer from a write under way.
fs::path temp_name(const fs::path& dir, const fs::path& path) {
    static std::atomic<unsigned> counter{0};
    return dir / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
                  std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 100000) + "." +
                  std::to_string(counter++) + std::string(kTmpSuffix));
}

// Removes temporaries of `path` left by writers that no longer run (killed between write and
// rename), so no stray file stays beside the output for long.
void remove_stale_temps(const fs::path& dir, const fs::path& path) {
    std::string prefix = "." + path.filename().string() + ".";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.starts_with(prefix) || !name.ends_with(kTmpSuffix)) continue;
        std::string rest = name.substr(prefix.size());
        size_t dot = rest.find('.');
        if (dot == std::string::npos || dot == 0 || rest.find_first_not_of("0123456789") != dot) continue;
        pid_t pid = static_cast<pid_t>(std::stol(rest.substr(0, dot)));
        if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(it->path(), ec);
    }
}

bool write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        content.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// Writes `content` to the new file `tmp`. Where the file system allows, the data goes to an
// unnamed O_TMPFILE that gets its name only once complete, so a kill while writing leaves
// nothing at all; elsewhere to `tmp` directly.
bool write_temp(const fs::path& dir, const fs::path& tmp, std::string_view content) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd >= 0) {
        bool ok = write_all(fd, content);
        std::string self = "/proc/self/fd/" + std::to_string(fd);
        ok = ok && ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0;
        ok = ::close(fd) == 0 && ok;
        if (ok) return true;
        std::error_code ec;
        fs::remove(tmp, ec);
    }
    fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0) return false;
    bool ok = write_all(fd, content);
    ok = ::close(fd) == 0 && ok;
    return ok;
}

}  // namespace

Expected<void> write_file_atomic(const fs::path& path, std::string_view content) {
    std::error_code ec;
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::create_directories(dir, ec);
    remove_stale_temps(dir, path);
    fs::path tmp = temp_name(dir, path);
    if (!write_temp(dir, tmp, content)) {
        fs::remove(tmp, ec);
        return fail("cannot write " + path.string());
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        fs::remove(tmp, ec);
        return fail("cannot write " + path.string());
    }
    return {};
}

}  // namespace ciri
