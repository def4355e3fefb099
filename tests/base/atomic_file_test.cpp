#include "base/atomic_file.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>

#include "tests/support/temp_files.hpp"

namespace fs = std::filesystem;
using namespace ciri;
using ciri::test::read_file;
using ciri::test::TempDir;

namespace {

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// The pid of a process that has exited and been reaped.
pid_t dead_pid() {
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

}  // namespace

TEST_CASE("write_file_atomic writes whole content and leaves no temporary", "[atomic_file]") {
    TempDir tmp("atomic-plain");
    const fs::path& dir = tmp.path;
    fs::path out = dir / "sub" / "report.json";
    REQUIRE(write_file_atomic(out, "first"));
    REQUIRE(write_file_atomic(out, std::string(1 << 20, 'x')));
    CHECK(read_file(out) == std::string(1 << 20, 'x'));
    CHECK(names_in(dir / "sub") == std::vector<std::string>{"report.json"});
    CHECK_FALSE(write_file_atomic("/proc/ciri-cannot-write/x", "y"));
}

TEST_CASE("a temporary left by a killed writer is removed by the next write", "[atomic_file]") {
    TempDir tmp("atomic-stale");
    const fs::path& dir = tmp.path;
    fs::path out = dir / "report.json";
    std::string stale = ".report.json." + std::to_string(dead_pid()) + ".1.0.tmp";
    std::string live = ".report.json." + std::to_string(::getpid()) + ".1.0.tmp";  // a write under way
    std::string other = ".other.json." + std::to_string(dead_pid()) + ".1.0.tmp";  // another target's
    for (const auto& n : {stale, live, other}) std::ofstream(dir / n) << "half";
    REQUIRE(write_file_atomic(out, "whole"));
    CHECK(read_file(out) == "whole");
    auto names = names_in(dir);
    CHECK(std::find(names.begin(), names.end(), stale) == names.end());
    CHECK(std::find(names.begin(), names.end(), live) != names.end());
    CHECK(std::find(names.begin(), names.end(), other) != names.end());
}

TEST_CASE("a writer killed mid-write leaves no temporary under a visible name", "[atomic_file]") {
    TempDir tmp("atomic-kill");
    const fs::path& dir = tmp.path;
    fs::path out = dir / "report.json";
    REQUIRE(write_file_atomic(out, "old"));
    pid_t child = ::fork();
    if (child == 0) {
        // Write forever-ish; the parent kills it mid-way.
        std::string big(64 << 20, 'x');
        for (;;) (void)write_file_atomic(out, big);
    }
    ::usleep(300 * 1000);
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    // The output is whole (old or new) and the next write clears whatever the kill left.
    std::string now = read_file(out);
    CHECK((now == "old" || now.size() == (64u << 20)));
    REQUIRE(write_file_atomic(out, "new"));
    CHECK(names_in(dir) == std::vector<std::string>{"report.json"});
}
