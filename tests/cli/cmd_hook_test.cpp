// The git hooks with real git in temporary folders: a bare remote, a clone, real pushes.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <yaml-cpp/yaml.h>

#include "tests/cli/cli_run.hpp"
#include "tests/support/emulator.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri::test;
namespace fs = std::filesystem;

namespace {

// Runs a shell command in `dir`; output goes to dir/../log so failures can be read.
int sh(const fs::path& dir, const std::string& cmd) {
    std::string full = "cd '" + dir.string() + "' && (" + cmd + ") >>'" + (dir.parent_path() / "log").string() + "' 2>&1";
    int status = std::system(full.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A bare remote and a clone with one valid commit on main already pushed, hook installed.
struct Repo {
    TempDir tmp{"hook"};
    fs::path remote = tmp.path / "remote.git", clone = tmp.path / "clone";
    std::string ciri = (binary_dir() / "ciri").string();

    Repo(bool install = true) {
        REQUIRE(sh(tmp.path, "git init -q --bare -b main remote.git && git clone -q remote.git clone") == 0);
        REQUIRE(sh(clone, "git config user.email t@example.com && git config user.name t && git checkout -q -b main") == 0);
        write("ds_config.json", kGoodDs);
        write("postgresql.conf", "max_wal_size = 4GB\nmin_wal_size = 1GB\n");
        write("README.md", "# not a config\n");
        REQUIRE(sh(clone, "git add -A && git commit -qm init && git push -q origin main") == 0);
        if (install) REQUIRE(sh(clone, ciri + " hook install") == 0);
    }
    void write(const std::string& rel, const std::string& text) { write_file(clone / rel, text); }
    int commit_and_push(const std::string& msg, const std::string& ref = "main") {
        sh(clone, "git add -A && git commit -qm '" + msg + "'");
        return sh(clone, "git push origin " + ref);
    }
    std::string log() const { return read_file(tmp.path / "log"); }
    std::string remote_head() const {
        sh(tmp.path, "git -C remote.git rev-parse main > head.txt");
        return read_file(tmp.path / "head.txt");
    }

    static constexpr const char* kGoodDs =
        "{\n  \"train_batch_size\": 32,\n  \"train_micro_batch_size_per_gpu\": 4,\n"
        "  \"gradient_accumulation_steps\": 8,\n  \"zero_optimization\": {\"stage\": 2}\n}\n";
    static constexpr const char* kBadDs =
        "{\n  \"train_batch_size\": 32,\n  \"train_micro_batch_size_per_gpu\": 4,\n"
        "  \"gradient_accumulation_steps\": 8,\n  \"zero_optimization\": {\"stage\": 5}\n}\n";
};

}  // namespace

TEST_CASE("hook: a push that plants misconfigurations is refused, the fix goes through", "[cli][hook]") {
    Repo r;
    std::string before = r.remote_head();
    r.write("ds_config.json", Repo::kBadDs);
    r.write("postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    CHECK(r.commit_and_push("bad") != 0);
    INFO(r.log());
    CHECK(r.remote_head() == before);  // nothing reached the remote
    CHECK(r.log().find("ds_config.json:5: zero_optimization.stage = 5") != std::string::npos);
    CHECK(r.log().find("postgresql.conf:2: min_wal_size = 8GB") != std::string::npos);
    CHECK(r.log().find("git push --no-verify") != std::string::npos);
    CHECK(r.log().find("README.md") == std::string::npos);  // unclassifiable files are not validated

    r.write("ds_config.json", Repo::kGoodDs);
    r.write("postgresql.conf", "max_wal_size = 8GB\nmin_wal_size = 1GB\n");
    CHECK(r.commit_and_push("fix") == 0);
    CHECK(r.remote_head() != before);
}

TEST_CASE("hook: the pushed commit is checked, not the work tree", "[cli][hook]") {
    Repo r;
    r.write("ds_config.json", Repo::kBadDs);
    sh(r.clone, "git commit -qam bad");
    r.write("ds_config.json", Repo::kGoodDs);  // fixed on disk, but not in the commit pushed
    CHECK(sh(r.clone, "git push origin main") != 0);
    CHECK(r.log().find("zero_optimization.stage = 5") != std::string::npos);
}

TEST_CASE("hook: an existing hook is chained and still runs; uninstall restores it", "[cli][hook]") {
    Repo r(false);
    fs::path hooks = r.clone / ".git" / "hooks";
    write_file(hooks / "pre-push", "#!/bin/sh\ncat > \"$(git rev-parse --git-dir)/../old-hook-ran\"\nexit 0\n");
    fs::permissions(hooks / "pre-push", fs::perms::owner_all);
    REQUIRE(sh(r.clone, r.ciri + " hook install") == 0);
    CHECK(fs::exists(hooks / "pre-push.ciri-chained"));
    r.write("ds_config.json", Repo::kBadDs);
    CHECK(r.commit_and_push("bad") != 0);
    CHECK(fs::exists(r.clone / "old-hook-ran"));
    CHECK(read_file(r.clone / "old-hook-ran").find("refs/heads/main") != std::string::npos);  // it saw git's stdin

    REQUIRE(sh(r.clone, r.ciri + " hook uninstall") == 0);
    CHECK(read_file(hooks / "pre-push").find("old-hook-ran") != std::string::npos);
    CHECK_FALSE(fs::exists(hooks / "pre-push.ciri-chained"));
    CHECK(sh(r.clone, "git push origin main") == 0);  // the old hook alone lets it through
}

TEST_CASE("hook: a chaining old hook that fails blocks the push before ciri runs", "[cli][hook]") {
    Repo r(false);
    fs::path hooks = r.clone / ".git" / "hooks";
    write_file(hooks / "pre-push", "#!/bin/sh\necho old hook says no\nexit 7\n");
    fs::permissions(hooks / "pre-push", fs::perms::owner_all);
    REQUIRE(sh(r.clone, r.ciri + " hook install") == 0);
    r.write("postgresql.conf", "max_wal_size = 8GB\nmin_wal_size = 2GB\n");
    CHECK(r.commit_and_push("fine") != 0);
    CHECK(r.log().find("old hook says no") != std::string::npos);
}

TEST_CASE("hook: install honours core.hooksPath; --force replaces; uninstall of nothing is harmless", "[cli][hook]") {
    Repo r(false);
    REQUIRE(sh(r.clone, "git config core.hooksPath .githooks") == 0);
    REQUIRE(sh(r.clone, r.ciri + " hook install") == 0);
    CHECK(fs::exists(r.clone / ".githooks" / "pre-push"));
    CHECK_FALSE(fs::exists(r.clone / ".git" / "hooks" / "pre-push"));
    write_file(r.clone / ".githooks" / "pre-commit", "#!/bin/sh\nexit 0\n");
    REQUIRE(sh(r.clone, r.ciri + " hook install --pre-commit --force") == 0);
    CHECK(read_file(r.clone / ".githooks" / "pre-commit").find("hook run pre-commit") != std::string::npos);
    CHECK_FALSE(fs::exists(r.clone / ".githooks" / "pre-commit.ciri-chained"));
    REQUIRE(sh(r.clone, r.ciri + " hook uninstall --pre-commit") == 0);
    CHECK_FALSE(fs::exists(r.clone / ".githooks" / "pre-commit"));
    CHECK(sh(r.clone, r.ciri + " hook uninstall --pre-commit") == 0);
    // A hooks folder of the repository may hold a link to a device: it is no hook of ciri's,
    // so it is chained, not read forever (it hung install before).
    fs::create_symlink("/dev/zero", r.clone / ".githooks" / "pre-commit");
    REQUIRE(sh(r.clone, "timeout 20 " + r.ciri + " hook install --pre-commit") == 0);
    CHECK(fs::is_symlink(r.clone / ".githooks" / "pre-commit.ciri-chained"));
    CHECK(read_file(r.clone / ".githooks" / "pre-commit").find("hook run pre-commit") != std::string::npos);
}

TEST_CASE("hook: pre-commit checks the staged content", "[cli][hook]") {
    Repo r(false);
    REQUIRE(sh(r.clone, r.ciri + " hook install --pre-commit") == 0);
    r.write("postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    CHECK(sh(r.clone, "git add -A && git commit -qm bad") != 0);
    CHECK(r.log().find("min_wal_size = 8GB") != std::string::npos);
    CHECK(r.log().find("git commit --no-verify") != std::string::npos);
    r.write("postgresql.conf", "max_wal_size = 8GB\nmin_wal_size = 1GB\n");
    CHECK(sh(r.clone, "git add -A && git commit -qm good") == 0);
}

TEST_CASE("hook: a new branch is checked against what it adds to main; a deleted ref checks nothing", "[cli][hook]") {
    Repo r;
    // An old finding on main, pushed past the hook.
    r.write("postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    sh(r.clone, "git commit -qam old && git push -q --no-verify origin main");
    REQUIRE(sh(r.clone, "git checkout -q -b feature") == 0);
    r.write("redis.conf", "port 6379\nmaxmemory-policy allkeys-lru\n");
    CHECK(r.commit_and_push("feature", "feature") == 0);  // the old postgresql.conf is not its change
    CHECK(sh(r.clone, "git push origin --delete feature") == 0);
}

TEST_CASE("hook: a push of nothing but unknown files passes with a note", "[cli][hook]") {
    Repo r;
    r.write("README.md", "# changed\n");
    CHECK(r.commit_and_push("docs") == 0);
    CHECK(r.log().find("no configuration files changed (1 other file(s) not checked)") != std::string::npos);
}

TEST_CASE("hook: a changed file .ciri.yaml maps to a system is checked, though its name says nothing", "[cli][hook]") {
    Repo r;
    r.write(".ciri.yaml", "systems:\n  - glob: svc/db/*\n    system: postgresql\n");
    // A real server's file: its first 8 KiB are comments, so its content does not tell a format.
    std::string text(9000, '#');
    text += "\nmax_wal_size = 1GB\nmin_wal_size = 8GB\n";
    r.write("svc/db/primary", text);
    r.write("svc/other/primary", text);  // unmapped: not checked
    CHECK(r.commit_and_push("mapped") != 0);
    CHECK(r.log().find("svc/db/primary:3: min_wal_size") != std::string::npos);
    CHECK(r.log().find("svc/other/primary:") == std::string::npos);
    CHECK(r.log().find("2 changed file(s) ciri cannot classify were not checked") != std::string::npos);
}

TEST_CASE("the pre-commit manifest has the framework's fields, and its entries run as the framework runs them",
          "[cli][hook]") {
    auto doc = YAML::LoadFile((source_dir() / ".pre-commit-hooks.yaml").string());
    REQUIRE(doc.IsSequence());
    std::set<std::string> ids;
    Repo r(false);
    r.write("postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    for (const auto& hook : doc) {
        for (const char* field : {"id", "name", "entry", "language"}) {
            INFO(field);
            CHECK(hook[field].IsScalar());
        }
        ids.insert(hook["id"].as<std::string>());
        // The framework runs `entry` with the staged file names appended, ciri on PATH.
        std::string entry = hook["entry"].as<std::string>();
        std::string path = "PATH='" + binary_dir().string() + "':\"$PATH\" ";
        CHECK(sh(r.clone, path + entry + " --no-cache README.md postgresql.conf") == 1);
        CHECK(sh(r.clone, path + entry + " --no-cache README.md") == 0);
    }
    CHECK(ids == std::set<std::string>{"ciri", "ciri-offline"});
    CHECK(r.log().find("min_wal_size = 8GB") != std::string::npos);
}

TEST_CASE("the GitHub Action and the GitLab job have the fields their runners require", "[cli][hook]") {
    auto action = YAML::LoadFile((source_dir() / "action.yml").string());
    CHECK(action["name"].IsScalar());
    CHECK(action["description"].IsScalar());
    REQUIRE(action["runs"]["using"].as<std::string>() == "composite");
    for (const auto& step : action["runs"]["steps"]) CHECK((step["uses"].IsDefined() || step["shell"].IsDefined()));
    auto gitlab = YAML::LoadFile((source_dir() / "recipes" / "gitlab-ci.yml").string());
    CHECK(gitlab["ciri"]["script"].IsSequence());
    CHECK(gitlab["ciri"]["artifacts"]["reports"]["codequality"].as<std::string>() == "gl-code-quality-report.json");
}

TEST_CASE("hook: with an LLM, pushing the same content again sends no request", "[cli][hook][emulator]") {
    Repo r;
    std::string no_error = "```json\n{\"hasError\": false, \"errParameter\": [], \"reason\": []}\n```";
    auto script = write_file(r.tmp.path / "script.json",
                             nlohmann::json{{"rules", nlohmann::json::array()}, {"default", no_error}}.dump());
    EmulatorProcess emu({"--script", script.string()});
    // Ollama sends no key, so the repository's .ciri.yaml may name its URL without `ciri trust`.
    r.write(".ciri.yaml", "models:\n  - spec: ollama/m1@" + emu.base_url() + "\nsamples: 1\n");
    std::string env = "XDG_CACHE_HOME='" + (r.tmp.path / "cache").string() + "' ";
    r.write("postgresql.conf", "max_wal_size = 8GB\nmin_wal_size = 2GB\n");
    sh(r.clone, "git checkout -q -b a && git add -A && git commit -qm a && git branch b");
    REQUIRE(sh(r.clone, env + "git push origin a") == 0);
    INFO(r.log());
    long first = emu.stats()["requests"];
    CHECK(first >= 1);
    REQUIRE(sh(r.clone, env + "git push origin b") == 0);  // another new branch with the same changes
    CHECK(emu.stats()["requests"] == first);
}
