#include "ciri/baseline.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/temp_files.hpp"

using namespace ciri;
using ciri::test::TempDir;

namespace {

FileResult file_with(const std::string& path, std::vector<std::pair<std::string, std::string>> findings) {
    FileResult f{.path = path, .verdict = findings.empty() ? Outcome::valid : Outcome::misconfigured};
    int line = 1;
    for (auto& [param, value] : findings) f.findings.push_back({{param, line++, value, "why", 1, 1, {"rules"}}, ""});
    return f;
}

}  // namespace

TEST_CASE("a baseline round-trips and hides exactly its findings", "[baseline]") {
    TempDir tmp("baseline");
    RunReport old;
    old.files = {file_with("a.conf", {{"x", "1"}, {"y", "2"}})};
    REQUIRE(write_baseline(tmp.path / "b.json", old));
    auto keys = read_baseline(tmp.path / "b.json");
    REQUIRE(keys);
    CHECK(keys->size() == 2);

    RunReport now;
    now.files = {file_with("a.conf", {{"x", "5"}, {"z", "3"}}), file_with("b.conf", {{"x", "1"}})};
    CHECK(apply_baseline(now, *keys, "b.json") == 1);  // a.conf:x, matched by parameter, not line or value
    CHECK(now.files[0].findings[0].suppressed == "in baseline b.json");
    CHECK(now.files[0].findings[1].suppressed.empty());
    CHECK(now.files[1].findings[0].suppressed.empty());  // another file's x is another finding
    CHECK(now.files[0].verdict == Outcome::misconfigured);

    RunReport only_old;
    only_old.files = {file_with("a.conf", {{"y", "2"}})};
    apply_baseline(only_old, *keys, "b.json");
    CHECK(only_old.files[0].verdict == Outcome::valid);  // nothing left to fail on
}

TEST_CASE("a broken baseline is an error naming the file", "[baseline]") {
    TempDir tmp("baseline-bad");
    auto p = ciri::test::write_file(tmp.path / "b.json", "{\"findings\": [{\"path\": 1}]}");
    auto r = read_baseline(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().path == p.string());
    CHECK_FALSE(read_baseline(tmp.path / "missing.json"));
    CHECK_FALSE(read_baseline(ciri::test::write_file(tmp.path / "c.json", "not json")));
    // A repository's baseline may be a link to a device or a FIFO: refused, never read forever.
    std::filesystem::create_symlink("/dev/zero", tmp.path / "zero.json");
    auto zero = read_baseline(tmp.path / "zero.json");
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message.find("cannot read the baseline") != std::string::npos);
    REQUIRE(mkfifo((tmp.path / "fifo.json").c_str(), 0600) == 0);
    CHECK_FALSE(read_baseline(tmp.path / "fifo.json"));
}

TEST_CASE("new-only matching keeps findings of parameters newly set or changed, hides the old ones", "[baseline]") {
    RunReport before, now;
    before.files = {file_with("a.conf", {{"old", "1"}, {"changed", "1"}})};
    now.files = {file_with("a.conf", {{"old", "1"}, {"changed", "2"}, {"added", "9"}}),
                 file_with("new.conf", {{"old", "1"}})};
    CHECK(keep_new_findings(now, before, "abc123") == 1);
    CHECK(now.files[0].findings[0].suppressed == "already there at abc123 (--new-only)");
    CHECK(now.files[0].findings[1].suppressed.empty());
    CHECK(now.files[0].findings[2].suppressed.empty());
    CHECK(now.files[1].findings[0].suppressed.empty());

    RunReport unchanged;
    unchanged.files = {file_with("a.conf", {{"old", "1"}})};
    keep_new_findings(unchanged, before, "abc123");
    CHECK(unchanged.files[0].verdict == Outcome::valid);
}
