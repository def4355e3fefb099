#include "prompts/shot_selection.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "tests/support/temp_files.hpp"

namespace fs = std::filesystem;
using namespace ciri;
using ciri::test::TempDir;

namespace {

Shot make_shot(std::string system, bool valid, std::string category, std::string id,
               std::string config) {
    Shot s;
    s.system = std::move(system);
    s.valid = valid;
    s.category = std::move(category);
    s.id = std::move(id);
    s.config = std::move(config);
    s.text = s.config;
    s.answer_json = valid ? R"({"hasError": false, "errParameter": [], "reason": []})"
                          : R"({"hasError": true, "errParameter": ["x"], "reason": ["r"]})";
    return s;
}

// postgresql.conf shots: the file below shares name tokens with m2 and v2 only.
std::vector<Shot> postgres_pool() {
    return {
        make_shot("postgresql", false, "syntax", "m1", "shared_buffers=12OMB\nwork_mem=4MB\n"),
        make_shot("postgresql", false, "syntax", "m2",
                  "autovacuum_max_workers=x\nautovacuum_naptime=1min\n"),
        make_shot("postgresql", false, "range", "m3",
                  "log_min_duration_statement=-5\nlog_rotation_age=1d\n"),
        make_shot("postgresql", false, "dependency", "m4", "wal_level=minimal\narchive_mode=on\n"),
        make_shot("postgresql", false, "syntax", "m5", "enable_seqscan=maybe\n"),
        make_shot("postgresql", true, "", "v1", "max_connections=100\nport=5432\n"),
        make_shot("postgresql", true, "", "v2", "autovacuum=on\nautovacuum_naptime=1min\n"),
    };
}

ConfigFile file_with_keys(std::string system, std::string format, std::vector<std::string> keys) {
    ConfigFile f;
    f.path = "test.conf";
    f.system = std::move(system);
    f.format = std::move(format);
    int line = 1;
    for (auto& k : keys) {
        f.text += k + "=1\n";
        f.params.push_back({std::move(k), "1", line++, "", ""});
    }
    return f;
}

std::vector<std::string> ids(const ShotSelection& s) {
    std::vector<std::string> out;
    for (const Shot& shot : s.shots) out.push_back(shot.id);
    return out;
}

// Writes an artifact-layout shot pool for `system` with one shot of each kind.
void write_artifact_pool(const fs::path& root, const std::string& system,
                         const std::vector<std::string>& keys) {
    std::string config = "<?xml version=\"1.0\"?>\n<configuration>\n";
    for (const auto& k : keys)
        config += "<property>\n  <name>" + k + "</name>\n  <value>1</value>\n</property>\n";
    config += "</configuration>\n";
    auto write = [&](const std::string& sub, const std::string& name, bool error) {
        fs::create_directories(root / system / sub);
        std::ofstream(root / system / sub / name)
            << config << "\n"
            << paper_question(system, "1.0") << "\n\nAnswer:\n```json\n"
            << paper_answer(error,
                            error ? std::vector<std::string>{keys[0]} : std::vector<std::string>{},
                            error ? std::vector<std::string>{"bad"} : std::vector<std::string>{})
            << "\n```";
    };
    write("Misconfig", "1_range", true);
    write("ValidConfig", "1", false);
}

}  // namespace

TEST_CASE("key tokens split on separators and camelCase", "[shot_selection]") {
    using V = std::vector<std::string>;
    CHECK(key_tokens("dfs.namenode.http-address") == V{"dfs", "namenode", "http", "address"});
    CHECK(key_tokens("maxClientCnxns") == V{"max", "client", "cnxns"});
    CHECK(key_tokens("HTTPServerPort") == V{"http", "server", "port"});
    CHECK(key_tokens("zero_optimization.offload_param[0].device") ==
          V{"zero", "optimization", "offload", "param", "device"});
    CHECK(key_tokens("NodeName[gpu01].CPUs") == V{"node", "name", "gpu01", "cpus"});
    CHECK(token_cosine({"a", "b"}, {"a", "b"}) == Approx(1.0));
    CHECK(token_cosine({"a", "b"}, {"c"}) == 0.0);
    CHECK(token_cosine({"a", "b", "c", "d"}, {"a"}) == Approx(0.5));
    CHECK(token_cosine({}, {"a"}) == 0.0);
}

TEST_CASE("random selection is reproducible from the seed", "[shot_selection]") {
    auto pool = postgres_pool();
    ConfigFile file = file_with_keys("postgresql", "conf", {"work_mem"});
    SelectionOptions options;
    options.strategy = "random";
    options.seed = 42;
    auto a = select_from_pool(file, pool, options);
    auto b = select_from_pool(file, pool, options);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(ids(*a) == ids(*b));
    REQUIRE(a->shots.size() == 4);
    CHECK_FALSE(a->shots[0].valid);
    CHECK_FALSE(a->shots[2].valid);
    CHECK(a->shots[3].valid);
    auto picked_ids = ids(*a);
    std::set<std::string> distinct(picked_ids.begin(), picked_ids.end());
    CHECK(distinct.size() == 4);
    // Other seeds give other picks.
    std::set<std::vector<std::string>> seen;
    for (uint64_t seed = 0; seed < 20; ++seed) {
        options.seed = seed;
        seen.insert(ids(*select_from_pool(file, pool, options)));
    }
    CHECK(seen.size() > 3);
}

TEST_CASE("similarity picks the shots that share parameter names", "[shot_selection]") {
    auto pool = postgres_pool();
    ConfigFile file =
        file_with_keys("postgresql", "conf",
                       {"autovacuum", "autovacuum_max_workers", "autovacuum_vacuum_cost_delay"});
    SelectionOptions options;
    options.strategy = "similarity";
    options.misconfig_shots = 1;
    auto picked = select_from_pool(file, pool, options);
    REQUIRE(picked);
    CHECK(ids(*picked) == std::vector<std::string>{"m2", "v2"});
}

TEST_CASE("category selection covers different categories first", "[shot_selection]") {
    auto pool = postgres_pool();
    ConfigFile file = file_with_keys("postgresql", "conf", {"autovacuum_max_workers"});
    SelectionOptions options;
    options.strategy = "category";
    options.valid_shots = 0;
    auto picked = select_from_pool(file, pool, options);
    REQUIRE(picked);
    REQUIRE(picked->shots.size() == 3);
    CHECK(picked->shots[0].id == "m2");  // the most similar shot leads
    std::set<std::string> categories;
    for (const Shot& s : picked->shots) categories.insert(s.category);
    CHECK(categories == std::set<std::string>{"syntax", "range", "dependency"});
    // Asking for more than there are categories repeats them only then.
    options.misconfig_shots = 5;
    picked = select_from_pool(file, pool, options);
    REQUIRE(picked);
    CHECK(picked->shots.size() == 5);
    options.misconfig_shots = 9;
    picked = select_from_pool(file, pool, options);
    REQUIRE(picked);
    CHECK(picked->shots.size() == 5);
    REQUIRE(picked->notes.size() == 1);
    CHECK(picked->notes[0].find("only 5 of 9") != std::string::npos);
}

TEST_CASE("stable selection gives every file of a system the same shots, enough for a cached prefix",
          "[shot_selection]") {
    auto pool = postgres_pool();
    SelectionOptions options;
    options.strategy = "stable";
    options.stable_min_tokens = 0;
    ConfigFile a = file_with_keys("postgresql", "conf", {"autovacuum_max_workers"});
    ConfigFile b = file_with_keys("postgresql", "conf", {"shared_buffers", "log_rotation_age"});
    auto pa = select_from_pool(a, pool, options), pb = select_from_pool(b, pool, options);
    REQUIRE(pa);
    REQUIRE(pb);
    // Files with nothing in common get the same shots, in the same order: 3 misconfigured of
    // different categories, then 1 valid.
    CHECK(ids(*pa) == ids(*pb));
    REQUIRE(pa->shots.size() == 4);
    std::set<std::string> categories;
    for (size_t i = 0; i < 3; ++i) categories.insert(pa->shots[i].category);
    CHECK(categories == std::set<std::string>{"syntax", "range", "dependency"});
    CHECK(pa->shots[3].valid);
    // Below the caching minimum, more shots join (up to the whole pool), still the same for all.
    options.stable_min_tokens = 1024;
    auto whole = select_from_pool(a, pool, options);
    REQUIRE(whole);
    CHECK(whole->shots.size() == pool.size());
    // One token more than the 4 shots hold: one more misconfigured shot joins.
    size_t bytes = 0;
    for (const Shot& s : pa->shots) bytes += s.config.size() + s.answer_json.size();
    options.stable_min_tokens = (bytes + 3) / 4 + 1;
    auto grown = select_from_pool(b, pool, options);
    REQUIRE(grown);
    REQUIRE(grown->shots.size() == 5);
    CHECK_FALSE(grown->shots[3].valid);
    auto grown_ids = ids(*grown), first_ids = ids(*pa);  // named: iterators of one vector each
    CHECK(std::vector<std::string>(grown_ids.begin(), grown_ids.begin() + 3) ==
          std::vector<std::string>(first_ids.begin(), first_ids.begin() + 3));
}

TEST_CASE("stable selection counts the shots' tokens as the compact view shows them", "[shot_selection]") {
    auto raw = postgres_pool();
    for (Shot& shot : raw) shot.text = shot.config = "# " + std::string(400, 'c') + "\n" + shot.config;
    IndexedPool pool = index_pool(raw);
    // Indexing makes each shot's compact view once: no comment, the lines of the pool file.
    CHECK(pool.shots[0].compact_config == "2: shared_buffers = 12OMB\n3: work_mem = 4MB\n");
    SelectionOptions options;
    options.strategy = "stable";
    options.stable_min_tokens = 0;
    ConfigFile a = file_with_keys("postgresql", "conf", {"autovacuum_max_workers"});
    auto four = select_from_pool(a, pool, options);
    REQUIRE(four);
    REQUIRE(four->shots.size() == 4);
    size_t bytes = 0;
    for (const Shot& shot : four->shots) bytes += shot.compact_config.size() + shot.answer_json.size();
    options.compact = true;
    options.stable_min_tokens = (bytes + 3) / 4;
    CHECK(select_from_pool(a, pool, options)->shots.size() == 4);
    options.stable_min_tokens += 1;
    CHECK(select_from_pool(a, pool, options)->shots.size() == 5);
    // Raw, the same four shots hold far more than that.
    options.compact = false;
    CHECK(select_from_pool(a, pool, options)->shots.size() == 4);
}

TEST_CASE("selection never shows the file under test and rejects bad options", "[shot_selection]") {
    auto pool = postgres_pool();
    ConfigFile file = file_with_keys("postgresql", "conf", {"x"});
    file.text = pool[1].config;
    SelectionOptions options;
    options.strategy = "similarity";
    options.misconfig_shots = 5;
    auto picked = select_from_pool(file, pool, options);
    REQUIRE(picked);
    CHECK(std::ranges::count(ids(*picked), "m2") == 0);
    CHECK(picked->notes.front().find("m2") != std::string::npos);
    options.strategy = "best";
    CHECK_FALSE(select_from_pool(file, pool, options));
    options.strategy = "random";
    options.valid_shots = -1;
    CHECK_FALSE(select_from_pool(file, pool, options));
}

TEST_CASE("a system without shots borrows from the nearest one of its format", "[shot_selection]") {
    TempDir dir("selection");
    write_artifact_pool(dir.path, "hdfs",
                        {"dfs.client.failover.max.attempts", "dfs.namenode.rpc-address"});
    write_artifact_pool(dir.path, "hbase", {"hbase.regionserver.port", "hbase.master.port"});
    SelectionOptions options;
    options.strategy = "similarity";

    ConfigFile yarn =
        file_with_keys("yarn", "hadoop-xml",
                       {"yarn.resourcemanager.address", "yarn.client.failover.max.attempts"});
    auto picked = select_shots(yarn, dir.path, options);
    REQUIRE(picked);
    CHECK(picked->borrowed_from == "hdfs");
    REQUIRE(picked->shots.size() == 2);
    CHECK(picked->shots[0].system == "hdfs");
    CHECK(picked->notes.front().find("borrowed from hdfs") != std::string::npos);

    ConfigFile mr = file_with_keys("mapreduce", "hadoop-xml", {"hbase.master.port"});
    picked = select_shots(mr, dir.path, options);
    REQUIRE(picked);
    CHECK(picked->borrowed_from == "hbase");

    // Its own pool wins over any other.
    ConfigFile hbase = file_with_keys("hbase", "hadoop-xml", {"dfs.client.failover.max.attempts"});
    picked = select_shots(hbase, dir.path, options);
    REQUIRE(picked);
    CHECK(picked->borrowed_from.empty());
    CHECK(picked->shots[0].system == "hbase");

    // No pool of the same format: zero-shot, said so.
    ConfigFile pg = file_with_keys("postgresql", "conf", {"work_mem"});
    picked = select_shots(pg, dir.path, options);
    REQUIRE(picked);
    CHECK(picked->shots.empty());
    REQUIRE(picked->notes.size() == 1);
    CHECK(picked->notes[0].find("zero-shot") != std::string::npos);
}

TEST_CASE("the pool's token index names exactly the shots holding each token", "[shot_selection]") {
    IndexedPool pool = index_pool(postgres_pool());
    REQUIRE_FALSE(pool.shots_with.empty());
    for (size_t i = 0; i < pool.shots.size(); ++i)
        for (const std::string& t : pool.tokens[i]) {
            const auto& holders = pool.shots_with.at(t);
            CHECK(std::find(holders.begin(), holders.end(), i) != holders.end());
        }
    size_t entries = 0;
    for (const auto& [t, holders] : pool.shots_with)
        for (size_t i : holders) {
            CHECK(pool.tokens[i].contains(t));
            ++entries;
        }
    size_t tokens = 0;
    for (const auto& set : pool.tokens) tokens += set.size();
    CHECK(entries == tokens);
}
