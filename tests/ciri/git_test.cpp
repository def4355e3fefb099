#include "ciri/git.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>

#include "tests/support/temp_files.hpp"

using namespace ciri;
using ciri::test::TempDir;
using ciri::test::write_file;
namespace fs = std::filesystem;

namespace {

void git(const fs::path& dir, std::vector<std::string> args) {
    auto r = run_git(dir, args);
    INFO(r.err);
    REQUIRE(r.status == 0);
}

}  // namespace

TEST_CASE("git helpers: changed, staged and work tree files, show, merge base, hooks dir", "[git]") {
    TempDir tmp("git");
    const fs::path& d = tmp.path;
    git(d, {"init", "-q", "-b", "main"});
    git(d, {"config", "user.email", "t@example.com"});
    git(d, {"config", "user.name", "t"});
    write_file(d / "a.conf", "x = 1\n");
    write_file(d / "odd name 'q'.yaml", "k: v\n");
    git(d, {"add", "-A"});
    git(d, {"commit", "-qm", "one"});
    auto first = run_git(d, {"rev-parse", "HEAD"}).out.substr(0, 40);
    write_file(d / "a.conf", "x = 2\n");
    write_file(d / "b.json", "{}\n");
    fs::remove(d / "odd name 'q'.yaml");
    git(d, {"add", "-A"});
    git(d, {"commit", "-qm", "two"});

    auto changed = git_changed_files(d, first, "HEAD");
    REQUIRE(changed);
    CHECK(*changed == std::vector<std::string>{"a.conf", "b.json"});  // the deletion is not listed
    auto old = git_show(d, first, "odd name 'q'.yaml");
    REQUIRE(old);
    CHECK(*old == "k: v\n");
    CHECK_FALSE(git_show(d, "HEAD", "odd name 'q'.yaml"));
    CHECK(*git_merge_base(d, first, "HEAD") == first);

    write_file(d / "b.json", "{\"a\": 1}\n");
    git(d, {"add", "b.json"});
    write_file(d / "a.conf", "x = 3\n");
    write_file(d / "new.ini", "[s]\n");
    write_file(d / ".gitignore", "ignored.env\n");
    write_file(d / "ignored.env", "A=1\n");
    CHECK(*git_staged_files(d) == std::vector<std::string>{"b.json"});
    auto wt = git_worktree_files(d);
    REQUIRE(wt);
    CHECK(std::find(wt->begin(), wt->end(), "a.conf") != wt->end());
    CHECK(std::find(wt->begin(), wt->end(), "new.ini") != wt->end());
    CHECK(std::find(wt->begin(), wt->end(), "ignored.env") == wt->end());

    auto hooks = git_hooks_dir(d);
    REQUIRE(hooks);
    CHECK(fs::weakly_canonical(*hooks) == fs::weakly_canonical(d / ".git" / "hooks"));
    CHECK(fs::weakly_canonical(*git_toplevel(d / ".git" / "..")) == fs::weakly_canonical(d));
    CHECK_FALSE(git_upstream(d));
}

TEST_CASE("git helpers fail with a message outside a repository; null shas are recognised", "[git]") {
    TempDir tmp("nogit");
    auto top = git_toplevel(tmp.path);
    REQUIRE_FALSE(top);
    CHECK(top.error().message.find("not in a git work tree") != std::string::npos);
    CHECK(is_null_sha("0000000000000000000000000000000000000000"));
    CHECK_FALSE(is_null_sha("0000000000000000000000000000000000000001"));
    CHECK_FALSE(is_null_sha(""));
    // Arguments are never interpreted by a shell.
    auto r = run_git(tmp.path, {"--version; touch pwned"});
    CHECK(r.status != 0);
    CHECK_FALSE(fs::exists(tmp.path / "pwned"));
}
