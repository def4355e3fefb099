#include "ciri/file_walk.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace ciri;
namespace fs = std::filesystem;

namespace {

// A scratch folder removed at the end of the test.
struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("ciri-walk-" + std::to_string(::getpid()));
    Scratch() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::permissions(dir / "locked", fs::perms::owner_all, ec);
        fs::remove_all(dir, ec);
    }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((dir / rel).parent_path());
        std::ofstream(dir / rel, std::ios::binary) << text;
    }
};

std::set<std::string> names(const std::vector<std::string>& paths, const fs::path& root) {
    std::set<std::string> out;
    for (const auto& p : paths) out.insert(fs::path(p).lexically_relative(root).generic_string());
    return out;
}

}  // namespace

TEST_CASE("file walk: globs match as .gitignore patterns do", "[walk]") {
    CHECK(ignore_glob_match("*.log", "a/b/x.log"));
    CHECK(ignore_glob_match("*.log", "x.log"));
    CHECK_FALSE(ignore_glob_match("*.log", "x.logs"));
    CHECK(ignore_glob_match("/build", "build"));
    CHECK_FALSE(ignore_glob_match("/build", "src/build"));
    CHECK(ignore_glob_match("docs/**/*.yaml", "docs/a/b/c.yaml"));
    CHECK(ignore_glob_match("docs/**/*.yaml", "docs/c.yaml"));
    CHECK_FALSE(ignore_glob_match("docs/**/*.yaml", "other/docs/c.yaml"));
    CHECK(ignore_glob_match("**/tmp", "a/tmp"));
    CHECK(ignore_glob_match("node[0-9].conf", "cluster/node7.conf"));
    CHECK_FALSE(ignore_glob_match("node[0-9].conf", "cluster/nodeX.conf"));
    CHECK(ignore_glob_match("secret/", "secret"));
}

TEST_CASE("file walk: takes what detection can classify, honours ignore files, counts what it skips",
          "[walk]") {
    Scratch s;
    s.write("redis.conf", "port 6379\n");
    s.write("train.sh", "#!/bin/bash\ntorchrun --nnodes 2 pretrain.py \\\n  --num-layers 24\n");  // args, by content
    s.write("cluster/slurm-node", "NodeName=gpu01 Gres=gpu:8\n");                  // no extension
    s.write("cluster/node7.conf", "NodeName=gpu07 Gres=gpu:8\n");
    s.write("README.md", "# docs\nport 6379\n");
    s.write("logo.png", std::string("\x89PNG\0\0", 6));
    s.write("blob", std::string("abc\0def", 7));
    s.write("notes", "\xff\xfe");  // neither name nor content says a format
    s.write("setup.sh", "#!/bin/sh\nset -e\nfor f in a b; do\n  echo $f\ndone\n");
    s.write(".git/config", "[core]\n");
    s.write("node_modules/pkg/config.json", "{}\n");
    s.write("env1/pyvenv.cfg", "home = /usr/bin\n");
    s.write("env1/lib/site.cfg", "[x]\n");
    s.write("build/out.yaml", "a: 1\n");
    s.write(".gitignore", "secret/\n*.bak\n");
    s.write("secret/db.properties", "password=x\n");
    s.write("old.yaml.bak", "a: 1\n");
    s.write("sub/.ciriignore", "legacy.conf\n");
    s.write("sub/legacy.conf", "a = 1\n");
    s.write("sub/app.yaml", "a: 1\n");
    s.write("vendor/a/b/skip.yaml", "a: 1\n");
    WalkOptions options;
    options.exclude = {"vendor/**/*.yaml", "cluster/node[0-9].conf"};
    WalkReport report;
    auto found = expand_paths({s.dir.string()}, options, &report);
    CHECK(names(found, s.dir) == std::set<std::string>{"redis.conf", "train.sh", "cluster/slurm-node", "sub/app.yaml"});
    std::map<std::string, std::string> why;
    for (const auto& k : report.skipped) why[fs::path(k.path).lexically_relative(s.dir).generic_string()] = k.reason;
    CHECK(why["README.md"] == "not a configuration file (by its name)");
    CHECK(why["logo.png"] == "not a configuration file (by its name)");
    CHECK(why["blob"] == "binary");
    CHECK(why["notes"] == "format not recognised");
    CHECK(why["setup.sh"] == "script without launcher arguments");
    CHECK(why[".git"] == "tool, dependency or build folder");
    CHECK(why[".gitignore"] == "ignore file");
    CHECK(why["node_modules"] == "tool, dependency or build folder");
    CHECK(why["env1"] == "tool, dependency or build folder");
    CHECK(why["build"] == "tool, dependency or build folder");
    CHECK(why["secret"] == "ignored by .gitignore");
    CHECK(why["old.yaml.bak"] == "ignored by .gitignore");
    CHECK(why["sub/legacy.conf"] == "ignored by .ciriignore");
    CHECK(why["vendor/a/b/skip.yaml"] == "excluded");
    CHECK(why["cluster/node7.conf"] == "excluded");
    // Every file is read or accounted for, itself or by the folder it sits in.
    auto taken = names(found, s.dir);
    for (const auto& e : fs::recursive_directory_iterator(s.dir)) {
        if (!e.is_regular_file()) continue;
        fs::path rel = e.path().lexically_relative(s.dir);
        bool accounted = taken.contains(rel.generic_string());
        for (fs::path p = rel; !accounted && !p.empty(); p = p.parent_path()) accounted = why.contains(p.generic_string());
        INFO(rel);
        CHECK(accounted);
    }
    // A file named explicitly is always read, whatever the walk would say of it.
    auto named = expand_paths({(s.dir / "sub/legacy.conf").string(), (s.dir / "README.md").string()});
    CHECK(named.size() == 2);
}

TEST_CASE("file walk: an unreadable folder is counted with its reason", "[walk]") {
    if (::geteuid() == 0) {
        WARN("skipped: running as root, which reads every folder");
        return;
    }
    Scratch s;
    s.write("a.yaml", "a: 1\n");
    s.write("locked/b.yaml", "b: 1\n");
    fs::permissions(s.dir / "locked", fs::perms::none);
    WalkReport report;
    auto found = expand_paths({s.dir.string()}, {}, &report);
    CHECK(found.size() == 1);
    REQUIRE(report.skipped.size() == 1);
    CHECK(report.skipped[0].reason.starts_with("unreadable folder: "));
}

TEST_CASE("file walk: a file met by the walk and named again is read once", "[walk]") {
    Scratch s;
    s.write(".env", "A=1\n");
    s.write("redis.conf", "port 6379\n");
    auto cwd = fs::current_path();
    fs::current_path(s.dir);
    auto paths = expand_paths({".", ".env", "./redis.conf"});
    fs::current_path(cwd);
    CHECK(paths == std::vector<std::string>{"./.env", "./redis.conf"});
}

TEST_CASE("file walk: files without extensions in folders .ciri.yaml maps to a system are taken", "[walk]") {
    Scratch s;
    // Names that say nothing, and content no sniffing rule knows: all defaults commented out,
    // a file not written yet.
    s.write("svc/cache/primary", "# maxmemory 2gb\n# appendonly yes\n");
    s.write("svc/cache/replica", "");
    s.write("svc/cache/dump", std::string("REDIS0009\0\x01\x02", 12));
    s.write("svc/cache/README", "notes\n");
    s.write("other/primary", "# maxmemory 2gb\n");
    WalkReport before;
    CHECK(expand_paths({s.dir.string()}, WalkOptions{}, &before).empty());  // without the mapping nothing is found

    WalkOptions mapped;
    mapped.systems = {{"svc/cache/*", "redis", ""}};
    WalkReport report;
    CHECK(names(expand_paths({s.dir.string()}, mapped, &report), s.dir) ==
          std::set<std::string>{"svc/cache/primary", "svc/cache/replica"});
    std::map<std::string, std::string> why;
    for (const auto& k : report.skipped) why[fs::path(k.path).lexically_relative(s.dir).generic_string()] = k.reason;
    CHECK(why["svc/cache/dump"] == "binary");
    CHECK(why["svc/cache/README"].find("not a configuration file") != std::string::npos);
    CHECK(why["other/primary"] == "format not recognised");  // an unmapped folder is as before
}

TEST_CASE("file walk: an ignore file that is no regular file is said and passed over, never read",
          "[walk]") {
    Scratch s;
    s.write("a.yaml", "a: 1\n");
    s.write("sub/b.yaml", "b: 1\n");
    // A FIFO would block the reader for ever (a repository can hold one).
    REQUIRE(::mkfifo((s.dir / ".gitignore").c_str(), 0600) == 0);
    fs::create_symlink("/dev/zero", s.dir / "sub" / ".ciriignore");
    WalkReport report;
    auto found = expand_paths({s.dir.string()}, {}, &report);
    CHECK(names(found, s.dir) == std::set<std::string>{"a.yaml", "sub/b.yaml"});
    std::set<std::pair<std::string, std::string>> why;
    for (const auto& k : report.skipped) why.emplace(fs::path(k.path).lexically_relative(s.dir).generic_string(), k.reason);
    CHECK(why.contains({".gitignore", "ignore file not read: not a regular file"}));
    CHECK(why.contains({"sub/.ciriignore", "ignore file not read: not a regular file"}));
}
