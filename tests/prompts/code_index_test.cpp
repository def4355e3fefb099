#include "prompts/code_index.hpp"
#include "prompts/code_snippets.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <cstdlib>

namespace fs = std::filesystem;
using namespace ciri;

namespace {

const fs::path kTree = fs::path(CIRI_SOURCE_DIR) / "tests/fixtures/code";

const CodeIndex& fixture_index() {
    static CodeIndex index = [] {
        auto i = index_source_tree(kTree);
        REQUIRE(i);
        return *i;
    }();
    return index;
}

// The only read of `key`.
const CodeRead& only(std::string_view key) {
    auto reads = fixture_index().find(key);
    INFO(key);
    REQUIRE(reads.size() == 1);
    return *reads[0];
}

bool has_check(const CodeRead& r, int line, std::string_view part) {
    for (const auto& c : r.checks)
        if (c.line == line && c.text.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("code index: Java reads through constants, with conversions and checks", "[code_index]") {
    const CodeRead& r = only("dfs.replication");
    CHECK(r.file == "java/NameNode.java");
    CHECK(r.line == 9);
    CHECK(r.constant == "DFS_REPLICATION_KEY");
    CHECK(r.call == "conf.getInt");
    CHECK(r.conversion == "int");
    CHECK(r.fallback == "DFSConfigKeys.DFS_REPLICATION_DEFAULT");
    REQUIRE(r.checks.size() == 1);
    CHECK(has_check(r, 11, "replication < 1 || replication > 512"));
    CHECK(r.checks[0].text.find("throw new IllegalArgumentException") != std::string::npos);
    CHECK(r.lines.front().starts_with("this.replication = conf.getInt("));

    // A constant built from another one and a literal.
    const CodeRead& block = only("dfs.blocksize");
    CHECK(block.conversion == "size");
    CHECK(has_check(block, 15, "Preconditions.checkArgument(blockSize % 512 == 0"));
    CHECK(only("dfs.heartbeat.interval").conversion == "duration");
    CHECK(only("dfs.permissions.enabled").conversion == "bool");
    CHECK(only("dfs.namenode.name.dir").conversion == "string");
    CHECK(only("dfs.namenode.name.dir").constant.empty());
    // The conversion around the read: Integer.parseInt(props.getProperty(...)).
    CHECK(only("dfs.namenode.port").conversion == "int");
}

TEST_CASE("code index: keys in comments and string literals are not reads", "[code_index]") {
    for (auto key : {"fake.key", "dfs.old.key", "not.a.key", "commented.out", "not-a-key", "NOT_A_KEY", "commented"})
        CHECK(fixture_index().find(key).empty());
}

TEST_CASE("code index: C and C++ reads through #define and constexpr", "[code_index]") {
    const CodeRead& max = only("maxclients");
    CHECK(max.file == "c/server.c");
    CHECK(max.line == 5);
    CHECK(max.constant == "CFG_MAX_CLIENTS");
    CHECK(max.conversion == "int");  // atoi around the read
    CHECK(has_check(max, 6, "maxclients < 1"));

    // Adjacent literals: CFG_PREFIX "timeout"; the conversion comes a line later.
    const CodeRead& timeout = only("server.timeout");
    CHECK(timeout.line == 10);
    CHECK(timeout.conversion == "long");
    CHECK(has_check(timeout, 12, "timeout < 0 || timeout > 3600"));
    CHECK(timeout.checks.back().text.find("return -1;") != std::string::npos);

    CHECK(only("SERVER_HOME").conversion == "string");
    const CodeRead& level = only("loglevel");
    CHECK(level.file == "c/log.cpp");
    CHECK(level.constant == "kLogLevelKey");
    CHECK(has_check(level, 6, "level != \"debug\""));
    CHECK(only("IO_THREADS").conversion == "int");  // std::stoi(std::getenv(...))
}

TEST_CASE("code index: Go consts, viper, os.Getenv and flags", "[code_index]") {
    const CodeRead& max = only("max-request-bytes");
    CHECK(max.file == "go/load.go");
    CHECK(max.line == 13);
    CHECK(max.constant == "KeyMaxRequestBytes");
    CHECK(max.conversion == "int");
    CHECK(has_check(max, 14, "maxBytes <= 0"));

    const CodeRead& quota = only("ETCD_QUOTA");
    CHECK(quota.conversion == "int");  // strconv.ParseInt on the variable
    CHECK(has_check(quota, 19, "err != nil"));
    CHECK(only("election-timeout").conversion == "duration");
    CHECK(only("snapshot-count").conversion == "int");
    CHECK(only("snapshot-count").fallback == "100000");
    CHECK(only("heartbeat-interval").conversion == "duration");  // DurationVar(&x, "name", ...)
    CHECK(fixture_index().find("quota-backend-bytes").empty());  // defined, never read
}

TEST_CASE("code index: Python module constants, configparser, environ and argparse", "[code_index]") {
    const CodeRead& workers = only("workers");
    CHECK(workers.file == "python/app.py");
    CHECK(workers.line == 11);
    CHECK(workers.constant == "WORKERS_KEY");
    CHECK(workers.conversion == "int");
    CHECK(has_check(workers, 12, "workers < 1 or workers > 64"));
    CHECK(workers.checks[0].text.find("raise ValueError") != std::string::npos);

    const CodeRead& timeout = only("APP_TIMEOUT");
    CHECK(timeout.conversion == "float");
    CHECK(has_check(timeout, 15, "assert timeout > 0"));
    CHECK(only("debug").conversion == "bool");
    const CodeRead& conns = only("max-connections");
    CHECK(conns.conversion == "int");
    CHECK(conns.fallback == "100");
    CHECK(only("verbose").conversion == "bool");
    // Lookups ignore case and '-' vs '_'.
    CHECK(fixture_index().find("MAX_CONNECTIONS").size() == 1);
}

TEST_CASE("code index: the cache round-trips and says when it is stale", "[code_index]") {
    fs::path dir = fs::temp_directory_path() / "ciri_code_index_test";
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    fs::copy(kTree / "java", dir / "src", fs::copy_options::recursive);
    auto index = index_source_tree(dir / "src");
    REQUIRE(index);
    CHECK(index->files.size() == 2);
    CHECK(index->root == (dir / "src").string());
    CHECK(!index->created.empty());
    REQUIRE(write_code_index(*index, dir / "index.json"));
    auto back = read_code_index(dir / "index.json");
    REQUIRE(back);
    CHECK(back->reads.size() == index->reads.size());
    REQUIRE(back->find("dfs.replication").size() == 1);
    CHECK(back->find("dfs.replication")[0]->checks.size() == 1);
    CHECK(stale_files(*back).empty());

    std::vector<std::string> notes;
    REQUIRE(load_code_index(dir / "index.json", notes));
    CHECK(notes.empty());

    std::ofstream(dir / "src/NameNode.java", std::ios::app) << "// edited\n";
    std::ofstream(dir / "src/New.java") << "class New { void f() { conf.getInt(\"new.key\", 1); } }\n";
    CHECK(stale_files(*back) == std::vector<std::string>{"NameNode.java", "New.java"});
    auto fresh = load_code_index(dir / "index.json", notes);
    REQUIRE(fresh);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("is stale (2 files changed") != std::string::npos);
    CHECK(fresh->find("new.key").size() == 1);  // the stale cache was not used

    std::ofstream(dir / "bad.json") << "{\"something\": 1}";
    CHECK(!read_code_index(dir / "bad.json"));
    CHECK(!index_source_tree(dir / "missing"));
    fs::remove_all(dir);
}

TEST_CASE("code index: languages by extension", "[code_index]") {
    CHECK(code_language("a/b.cc") == "c");
    CHECK(code_language("x.H") == "c");
    CHECK(code_language("X.java") == "java");
    CHECK(code_language("m.go") == "go");
    CHECK(code_language("s.py") == "python");
    CHECK(code_language("README.md").empty());
}

TEST_CASE("code index: a directory finds the cache `ciri code index` wrote for it", "[code_index]") {
    fs::path dir = fs::temp_directory_path() / "ciri_code_cache_test";
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    fs::copy(kTree / "go", dir / "src", fs::copy_options::recursive);
    ::setenv("XDG_CACHE_HOME", (dir / "cache").c_str(), 1);
    CHECK(default_code_cache(dir / "src").string().starts_with((dir / "cache/ciri/code/").string()));
    std::vector<std::string> notes;
    REQUIRE(load_code_index(dir / "src", notes));
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].starts_with("code: indexed "));  // no cache yet: indexed now, and said

    auto index = index_source_tree(dir / "src");
    REQUIRE(index);
    index->created = "2000-01-01T00:00:00Z";  // to tell the cache from a fresh index
    REQUIRE(write_code_index(*index, default_code_cache(dir / "src")));
    notes.clear();
    auto cached = load_code_index(dir / "src", notes);
    REQUIRE(cached);
    CHECK(notes.empty());
    CHECK(cached->created == "2000-01-01T00:00:00Z");
    ::unsetenv("XDG_CACHE_HOME");
    fs::remove_all(dir);
}

TEST_CASE("code index: Redis-style config tables and one text on its own", "[code_index]") {
    auto reads = index_source_text("standardConfig configs[] = {\n"
                                   "    createIntConfig(\"maxclients\", NULL, MODIFIABLE_CONFIG, 1, LONG_MAX,\n"
                                   "        server.maxclients, 10000, INTEGER_CONFIG, NULL, updateMaxclients),\n"
                                   "    createBoolConfig(\"appendonly\", NULL, MODIFIABLE_CONFIG, server.aof, 0, NULL, NULL),\n"
                                   "};\n",
                                   "c", "config.c");
    REQUIRE(reads.size() == 2);
    CHECK(reads[0].key == "maxclients");
    CHECK(reads[0].line == 2);
    CHECK(reads[0].conversion == "int");
    CHECK(reads[0].fallback.empty());
    CHECK(reads[0].lines.size() == 2);  // the whole call
    CHECK(reads[1].key == "appendonly");
    CHECK(reads[1].conversion == "bool");
}

namespace {

const CodeRead& read_of(const std::vector<CodeRead>& reads, const std::string& key) {
    for (const auto& r : reads)
        if (r.key == key) return r;
    FAIL("no read of " << key);
    return reads.front();
}

}  // namespace

TEST_CASE("code index: a read inside an if that reads another key depends on it", "[code_index][guards]") {
    // Java: nested blocks, a read after the block, an else branch.
    auto java = index_source_text(
        "class Server {\n"
        "  void init(Configuration conf) {\n"
        "    if (conf.getBoolean(\"x.security.enabled\", false)) {\n"
        "      String keytab = conf.get(\"x.keytab.file\");\n"
        "      if (conf.getInt(\"x.retries\", 3) > 0) {\n"
        "        long wait = conf.getLong(\"x.retry.wait\", 10);\n"
        "      }\n"
        "    } else {\n"
        "      String user = conf.get(\"x.simple.user\");\n"
        "    }\n"
        "    int port = conf.getInt(\"x.port\", 80);\n"
        "  }\n"
        "}\n",
        "java", "Server.java");
    CHECK(read_of(java, "x.keytab.file").guards == std::vector<std::string>{"x.security.enabled"});
    CHECK(read_of(java, "x.retry.wait").guards == std::vector<std::string>{"x.security.enabled", "x.retries"});
    CHECK(read_of(java, "x.retries").guards == std::vector<std::string>{"x.security.enabled"});
    CHECK(read_of(java, "x.security.enabled").guards.empty());
    CHECK(read_of(java, "x.simple.user").guards.empty());  // the else branch runs when the check fails
    CHECK(read_of(java, "x.port").guards.empty());

    // Go: no parentheses around the condition.
    auto go = index_source_text(
        "package main\n"
        "func load() {\n"
        "\tif viper.GetBool(\"tls.enabled\") {\n"
        "\t\tcert := viper.GetString(\"tls.cert\")\n"
        "\t}\n"
        "\tname := viper.GetString(\"name\")\n"
        "}\n",
        "go", "load.go");
    CHECK(read_of(go, "tls.cert").guards == std::vector<std::string>{"tls.enabled"});
    CHECK(read_of(go, "name").guards.empty());

    // Python: the body is what is indented under the if.
    auto py = index_source_text(
        "def load(config):\n"
        "    if config.getboolean('cache', 'enabled'):\n"
        "        size = config.getint('cache', 'size')\n"
        "    level = config.get('log', 'level')\n",
        "python", "load.py");
    REQUIRE(py.size() == 3);
    CHECK(py[1].guards == std::vector<std::string>{py[0].key});
    CHECK(py[2].guards.empty());
}

TEST_CASE("code index: guards survive the cache and show in the prompt's excerpt", "[code_index][guards]") {
    CodeIndex index;
    index.root = "/src";
    index.created = "2026-01-01T00:00:00Z";
    index.reads = index_source_text(
        "class A { void f(Configuration c) { if (c.getBoolean(\"a.on\", false)) {\n c.getInt(\"a.size\", 1);\n } } }\n", "java",
        "A.java");
    fs::path path = fs::temp_directory_path() / "ciri_code_index_guards.json";
    REQUIRE(write_code_index(index, path).has_value());
    auto back = read_code_index(path);
    REQUIRE(back.has_value());
    REQUIRE(back->find("a.size").size() == 1);
    CHECK(back->find("a.size")[0]->guards == std::vector<std::string>{"a.on"});
    CHECK(render_code_read(*back->find("a.size")[0]).find("read only under a check of `a.on`") != std::string::npos);
    fs::remove(path);
}
