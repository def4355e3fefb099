// validate's git scope with real git: --changed, --staged, --worktree, --new-only, baselines.
#include "ciri/cli/change_scope.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli/cli_run.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri::test;
namespace fs = std::filesystem;

namespace {

int sh(const fs::path& dir, const std::string& cmd) {
    return std::system(("cd '" + dir.string() + "' && (" + cmd + ") >/dev/null 2>&1").c_str());
}

// A repository whose main has an old finding in old.conf (postgresql), and a branch that
// changes two files and adds a third.
struct Repo {
    TempDir tmp{"scope"};
    fs::path d = tmp.path / "repo", scratch = tmp.path / "out";  // ciri's captured output stays outside
    Repo() {
        fs::create_directories(d);
        fs::create_directories(scratch);
        REQUIRE(sh(d, "git init -q -b main && git config user.email t@example.com && git config user.name t") == 0);
        write_file(d / "old" / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\nshared_buffers = 128MB\n");
        write_file(d / "keep" / "postgresql.conf", "max_wal_size = 4GB\nmin_wal_size = 1GB\n");
        write_file(d / "README.md", "# hi\n");
        REQUIRE(sh(d, "git add -A && git commit -qm base && git checkout -q -b feature") == 0);
    }
    CliResult validate(std::vector<std::string> args) {
        args.insert(args.begin(), {"validate", "--no-config", "-f", "json"});
        return run_ciri_binary("cd '" + d.string() + "' &&", args, scratch);
    }
};

std::set<std::string> paths_of(const CliResult& r) {
    std::set<std::string> out;
    auto doc = nlohmann::json::parse(r.out);  // named: a loop over a temporary's member would dangle
    for (const auto& f : doc["files"]) out.insert(f["path"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("validate --changed validates only what the branch changed since REV", "[cli][scope]") {
    Repo r;
    write_file(r.d / "old" / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\nshared_buffers = 256MB\n");
    write_file(r.d / "new" / "redis.conf", "port 6379\n");
    write_file(r.d / "README.md", "# changed\n");
    REQUIRE(sh(r.d, "git add -A && git commit -qm change") == 0);
    auto res = r.validate({"--changed", "main", "--skip-unknown"});
    INFO(res.err << res.out);
    CHECK(paths_of(res) == std::set<std::string>{"old/postgresql.conf", "new/redis.conf"});
    CHECK(res.code == 1);  // the old finding is in a changed file

    // Nothing changed: nothing to do, and not an error.
    auto none = r.validate({"--changed", "HEAD"});
    CHECK(none.code == 0);
    CHECK(none.err.find("no configuration files to validate") != std::string::npos);
    // Paths and --changed do not mix.
    CHECK(r.validate({"--changed", "main", "keep/postgresql.conf"}).code == 2);
}

TEST_CASE("validate --new-only reports what the change introduced, not what was there", "[cli][scope]") {
    Repo r;
    // old/: the old finding stays, a new one is added; keep/: untouched.
    write_file(r.d / "old" / "postgresql.conf",
               "max_wal_size = 1GB\nmin_wal_size = 8GB\nshared_buffers = 128MB\nport = 99999\n");
    REQUIRE(sh(r.d, "git add -A && git commit -qm change") == 0);
    auto all = r.validate({"--changed", "main"});
    auto fresh = r.validate({"--changed", "main", "--new-only"});
    INFO(all.out << fresh.err);
    auto findings = [](const CliResult& c) { return nlohmann::json::parse(c.out)["files"][0]["findings"]; };
    CHECK(findings(all).size() >= 2);
    REQUIRE(findings(fresh).size() == 1);
    CHECK(findings(fresh)[0]["parameter"] == "port");
    CHECK(fresh.code == 1);
    CHECK(fresh.err.find("already there at") != std::string::npos);

    // Only the old finding left: the change introduced nothing, the run passes.
    write_file(r.d / "old" / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\nshared_buffers = 512MB\n");
    REQUIRE(sh(r.d, "git commit -qam fix-port") == 0);
    CHECK(r.validate({"--changed", "main", "--new-only"}).code == 0);
    // A file that did not exist at REV keeps all its findings, and the run says why.
    write_file(r.d / "added" / "postgresql.conf", "port = 99999\n");
    REQUIRE(sh(r.d, "git add -A && git commit -qm add") == 0);
    auto added = r.validate({"--changed", "main", "--new-only"});
    CHECK(added.code == 1);
    CHECK(added.err.find("--new-only: 1 file(s) not at ") != std::string::npos);
    CHECK(added.err.find("so all their findings are new") != std::string::npos);
    // The work tree was never touched by reading the old revision.
    CHECK(read_file(r.d / "old" / "postgresql.conf").find("512MB") != std::string::npos);
}

TEST_CASE("validate --staged and --worktree pick the index's and the work tree's changes", "[cli][scope]") {
    Repo r;
    write_file(r.d / "keep" / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 2GB\n");
    REQUIRE(sh(r.d, "git add keep/postgresql.conf") == 0);
    write_file(r.d / "untracked.env", "A=1\n");
    CHECK(paths_of(r.validate({"--staged"})) == std::set<std::string>{"keep/postgresql.conf"});
    CHECK(paths_of(r.validate({"--worktree"})) == std::set<std::string>{"untracked.env"});
}

TEST_CASE("validate --write-baseline then --baseline accepts today's findings and catches new ones", "[cli][scope]") {
    Repo r;
    auto first = r.validate({"--write-baseline", "base.json", "old/postgresql.conf", "keep/postgresql.conf"});
    CHECK(first.code == 1);
    CHECK(r.validate({"--baseline", "base.json", "old/postgresql.conf", "keep/postgresql.conf"}).code == 0);
    write_file(r.d / "keep" / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 2GB\n");
    auto later = r.validate({"--baseline", "base.json", "old/postgresql.conf", "keep/postgresql.conf"});
    CHECK(later.code == 1);
    CHECK(later.err.find("in the baseline") != std::string::npos);
    write_file(r.d / "bad.json", "{}");
    auto bad = r.validate({"--baseline", "bad.json", "old/postgresql.conf"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("not a ciri baseline") != std::string::npos);
}

TEST_CASE("validate --changed outside git says it needs git", "[cli][scope]") {
    TempDir tmp("scope-nogit");
    auto r = run_ciri_binary("cd '" + tmp.path.string() + "' &&", {"validate", "--no-config", "--changed"}, tmp.path);
    CHECK(r.code == 2);
    CHECK(r.err.find("need git") != std::string::npos);
}
