#include "eval/real_world.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "eval/import_ciri.hpp"
#include "eval/predictor.hpp"
#include "eval/results.hpp"
#include "eval/runner.hpp"
#include "parsers/load.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ciri_real_world_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

const DatasetItem* by_id(const std::vector<DatasetItem>& items, const std::string& id) {
    for (const auto& i : items)
        if (i.id == id) return &i;
    return nullptr;
}

}  // namespace

TEST_CASE("the real-world set: one misconfigured item per case, labeled by historical_issue.tsv", "[real-world]") {
    const fs::path root = test::fixture("eval/real_world");
    REQUIRE(real_world_dir(root).value() == root / "datasets" / "real_world_config");
    auto items = read_real_world(root, {});
    REQUIRE(items);
    REQUIRE(items->size() == 4);
    const DatasetItem* redis = by_id(*items, "redis/REDIS-501");
    REQUIRE(redis);
    CHECK(redis->system == "redis");
    CHECK(redis->label == Label::misconfigured);
    CHECK(redis->params == std::vector<std::string>{"maxmemory-samples", "maxmemory-policy"});
    CHECK(redis->kind.empty());  // recorded answers are found by content
    CHECK(redis->path == root / "datasets" / "real_world_config" / "redis" / "REDIS-501");
    REQUIRE(by_id(*items, "zookeeper/ZOOKEEPER-77"));
    CHECK(by_id(*items, "zookeeper/ZOOKEEPER-77")->params == std::vector<std::string>{"maxClientCnxns"});
    // The folder itself works too, and read_dataset reads it with --set real-world.
    CHECK(read_real_world(root / "datasets" / "real_world_config", {})->size() == 4);
    DatasetOptions o;
    o.set = DatasetSet::real_world;
    o.systems = {"hdfs"};
    auto ds = read_dataset(root, o);
    REQUIRE(ds);
    CHECK(ds->layout == DatasetLayout::real_world);
    CHECK(ds->systems() == std::vector<std::string>{"hdfs"});
    CHECK(ds->items.size() == 2);
    // The default set is synthesize_config, which this folder does not hold.
    CHECK_FALSE(read_dataset(root));
}

TEST_CASE("the real-world set: a malformed table line is an error with the file and line", "[real-world]") {
    auto items = read_real_world(test::fixture("eval/real_world_bad"), {});
    REQUIRE_FALSE(items);
    CHECK(items.error().line == 2);
    CHECK(items.error().path.ends_with("historical_issue.tsv"));
    CHECK(items.error().message.find("tab-separated") != std::string::npos);
}

TEST_CASE("the real-world set: an unknown system is said, not skipped", "[real-world]") {
    const fs::path root = test::fixture("eval/real_world_unknown_system");
    auto items = read_real_world(root, {});
    REQUIRE_FALSE(items);
    CHECK(items.error().message.find("unknown system 'nosuchsys'") != std::string::npos);
    CHECK(items.error().path.ends_with("nosuchsys"));
    DatasetOptions only_hdfs;
    only_hdfs.systems = {"hdfs"};
    auto kept = read_real_world(root, only_hdfs);
    REQUIRE(kept);
    CHECK(kept->size() == 1);
}

TEST_CASE("the real-world set: rows and case files must match one to one", "[real-world]") {
    const fs::path d = temp_dir("match");
    const fs::path set = d / "datasets" / "real_world_config";
    write(set / "redis" / "REDIS-1", "port 6379\n");
    write(set / "redis" / "REDIS-2", "port 6380\n");
    SECTION("a case file without a row") {
        write(set / "historical_issue.tsv", "REDIS-1\tport\n");
        auto items = read_real_world(d, {});
        REQUIRE_FALSE(items);
        CHECK(items.error().path.ends_with("REDIS-2"));
    }
    SECTION("a row without a case file") {
        write(set / "historical_issue.tsv", "REDIS-1\tport\nREDIS-2\tport\nREDIS-3\tport\n");
        auto items = read_real_world(d, {});
        REQUIRE_FALSE(items);
        CHECK(items.error().line == 3);
        CHECK(items.error().message.find("REDIS-3") != std::string::npos);
    }
    SECTION("a case listed twice") {
        write(set / "historical_issue.tsv", "REDIS-1\tport\nREDIS-2\tport\nREDIS-1\tbind\n");
        auto items = read_real_world(d, {});
        REQUIRE_FALSE(items);
        CHECK(items.error().line == 3);
    }
    SECTION("a header line, blank lines and comments are not cases") {
        write(set / "historical_issue.tsv", "issue\tparameters\n\n# two cases\nREDIS-1\tport\t\nREDIS-2\tport\n");
        auto items = read_real_world(d, {});
        REQUIRE(items);
        REQUIRE(items->size() == 2);
        CHECK(items->front().params == std::vector<std::string>{"port"});
    }
    fs::remove_all(d);
}

TEST_CASE("a case file without an extension parses as its system's format, for every system the artifact names",
          "[real-world]") {
    // The paper's ten systems, each with a small file in its usual format.
    const std::vector<std::pair<std::string, std::string>> samples = {
        {"alluxio", "alluxio.master.hostname=localhost\nalluxio.worker.memory.size=1GB\n"},
        {"django", "DEBUG = False\nALLOWED_HOSTS = ['example.com']\n"},
        {"etcd", "name: node1\ndata-dir: /var/lib/etcd\n"},
        {"hbase", "<configuration><property><name>hbase.rootdir</name><value>/hbase</value></property>"
                  "</configuration>\n"},
        {"hcommon", "<configuration><property><name>fs.defaultFS</name><value>hdfs://nn:8020</value></property>"
                    "</configuration>\n"},
        {"hdfs", "<configuration><property><name>dfs.replication</name><value>3</value></property>"
                 "</configuration>\n"},
        {"postgresql", "max_connections = 100\nshared_buffers = 128MB\n"},
        {"redis", "port 6379\nmaxmemory 2gb\n"},
        {"yarn", "<configuration><property><name>yarn.nodemanager.resource.memory-mb</name><value>8192</value>"
                 "</property></configuration>\n"},
        {"zookeeper", "tickTime=2000\nclientPort=2181\n"},
    };
    const fs::path d = temp_dir("systems");
    for (const auto& [system, text] : samples) {
        INFO(system);
        const fs::path file = d / system / "CASE-1";
        write(file, text);
        LoadOptions o;
        o.system = system;
        auto loaded = load_config(file.string(), o);
        REQUIRE(loaded);
        CHECK(loaded->params.size() == 2 - (text.starts_with("<") ? 1 : 0));
    }
    fs::remove_all(d);
}

TEST_CASE("the real-world set end to end: import, replay, count detected cases", "[real-world][import]") {
    const fs::path root = test::fixture("eval/real_world");
    const fs::path d = temp_dir("e2e");
    auto stats = import_ciri_results(root / "results" / "real_world_config", d / "answers.jsonl");
    REQUIRE(stats);
    CHECK(stats->skipped.empty());
    CHECK(stats->records == 6);
    CHECK(stats->models == std::vector<std::string>{"claude-3-opus-20240229", "gpt-4-0125-preview"});
    auto items = read_real_world(root, {});
    REQUIRE(items);
    RecordedOptions o;
    o.models = {"recorded/gpt-4-0125-preview@" + (d / "answers.jsonl").string()};
    auto predictor = RecordedPredictor::create(o);
    REQUIRE(predictor);
    RunOptions run;
    run.out_dir = d / "gpt4";
    auto summary = run_eval(*items, **predictor, run);
    REQUIRE(summary);
    CHECK(summary->items == 4);
    CHECK(summary->errors == 1);  // ZOOKEEPER-77 has no recorded answer
    auto results = read_results(d / "gpt4" / "results.json");
    REQUIRE(results);
    const auto& det = (*results)["detected"];
    // HDFS-9001 named right; HDFS-9002 named another parameter; REDIS-501 named one of two.
    CHECK(det["total"]["cases"] == 4);
    CHECK(det["total"]["detected"] == 2);
    CHECK(det["systems"]["hdfs"]["detected"] == 1);
    CHECK(det["systems"]["hdfs"]["missed"] == nlohmann::json::array({"hdfs/HDFS-9002"}));
    CHECK(det["systems"]["redis"]["detected"] == 1);
    CHECK(det["systems"]["zookeeper"]["detected"] == 0);
    fs::remove_all(d);
}
