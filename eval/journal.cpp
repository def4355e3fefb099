#include "eval/journal.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <unordered_set>

namespace ciri {

namespace fs = std::filesystem;

namespace {

std::unexpected<Error> fail_io(const fs::path& path, const std::string& what) {
    return std::unexpected(Error{what + ": " + std::strerror(errno), 0, path.string()});
}

// Writes all of `data`, retrying short writes and EINTR.
bool write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

Expected<JournalContents> read_journal(const fs::path& path) {
    JournalContents out;
    if (!fs::exists(path)) return out;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(Error{"cannot read", 0, path.string()});
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    out.torn_tail = !text.empty() && text.back() != '\n';
    std::unordered_set<std::string> seen;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        // An unterminated last line was never acknowledged by append: it does not count.
        if (end == std::string::npos) {
            ++out.skipped_lines;
            break;
        }
        std::string_view line(text.data() + start, end - start);
        start = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        auto p = j.is_discarded() ? Expected<Prediction>(fail("bad json")) : prediction_from_json(j);
        if (!p) {
            ++out.skipped_lines;
            continue;
        }
        if (seen.insert(p->id).second) out.predictions.push_back(std::move(*p));
    }
    return out;
}

Expected<JournalWriter> JournalWriter::open(const fs::path& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return fail_io(path, "cannot open journal");
    JournalWriter w(fd, path);
    // A torn last line would glue itself to the next record; end it first.
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (!ec && size > 0) {
        int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        char last = '\n';
        if (rfd >= 0) {
            if (::pread(rfd, &last, 1, static_cast<off_t>(size - 1)) != 1) last = '\n';
            ::close(rfd);
        }
        if (last != '\n' && !write_all(fd, "\n")) return fail_io(path, "cannot write journal");
    }
    return w;
}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

JournalWriter::~JournalWriter() {
    if (fd_ >= 0) ::close(fd_);
}

Expected<void> JournalWriter::append(const Prediction& p) {
    const std::string line = to_json(p).dump() + "\n";
    std::lock_guard lock(mutex_);
    // One write() of the whole line on an O_APPEND fd: a kill leaves at most a torn tail.
    if (!write_all(fd_, line)) return fail_io(path_, "cannot write journal");
    if (::fdatasync(fd_) != 0) return fail_io(path_, "cannot sync journal");
    return {};
}

Expected<void> write_journal(const fs::path& path, const std::vector<Prediction>& predictions) {
    const fs::path tmp = path.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail_io(tmp, "cannot open");
    std::string data;
    for (const auto& p : predictions) data += to_json(p).dump() + "\n";
    const bool ok = write_all(fd, data) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return fail_io(tmp, "cannot write");
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return std::unexpected(Error{"cannot rename: " + ec.message(), 0, path.string()});
    return {};
}

}  // namespace ciri
