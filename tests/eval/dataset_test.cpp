#include "eval/dataset.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ciri_eval_dataset_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

}  // namespace

TEST_CASE("our manifest layout is read with labels and parameters", "[dataset]") {
    const fs::path dir = test::fixture("eval/small");
    REQUIRE(detect_layout(dir).value() == DatasetLayout::manifest);
    auto ds = read_dataset(dir);
    REQUIRE(ds);
    REQUIRE(ds->items.size() == 4);
    CHECK(ds->systems() == std::vector<std::string>{"hdfs", "postgresql"});
    // Natural id order.
    CHECK(ds->items[0].id == "hdfs-bad");
    const auto& pg = ds->items[2];
    CHECK(pg.id == "pg-bad");
    CHECK(pg.label == Label::misconfigured);
    CHECK(pg.params == std::vector<std::string>{"max_connections", "superuser_reserved_connections"});
    CHECK(pg.subcategory == "Value Relationship");
    CHECK(pg.version == "13.0");
    CHECK(pg.path == dir / "files/pg-bad.conf");
    CHECK(fs::exists(pg.path));
    CHECK(ds->items[3].label == Label::valid);
    CHECK(ds->items[3].params.empty());
}

TEST_CASE("the systems option keeps only the named systems and rejects unknown ones", "[dataset]") {
    DatasetOptions o;
    o.systems = {"postgresql"};
    auto ds = read_dataset(test::fixture("eval/small"), o);
    REQUIRE(ds);
    CHECK(ds->items.size() == 2);
    o.systems = {"nosuch"};
    auto bad = read_dataset(test::fixture("eval/small"), o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "no items for system 'nosuch'");
}

TEST_CASE("malformed manifests fail with the line", "[dataset]") {
    const fs::path d = temp_dir("bad");
    auto write = [&](const std::string& text) { std::ofstream(d / "manifest.jsonl") << text; };
    write("{\"id\":\"a\",\"path\":\"x\",\"system\":\"s\",\"label\":\"valid\"}\n{\"id\":\"b\",\"path\":\"y\",\"system\":\"s\",\"label\":\"broken\"}\n");
    auto r = read_dataset(d);
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
    CHECK(r.error().message.find("label must be valid or misconfigured") == 0);
    write("{\"id\":\"a\",\"path\":\"x\",\"system\":\"s\",\"label\":\"misconfigured\"}\n");
    r = read_dataset(d);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "a misconfigured item needs its \"params\"");
    write("{\"id\":\"a\",\"path\":\"x\",\"system\":\"s\",\"label\":\"valid\"}\n{\"id\":\"a\",\"path\":\"y\",\"system\":\"s\",\"label\":\"valid\"}\n");
    r = read_dataset(d);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "duplicate id 'a'");
    write("not json\n");
    r = read_dataset(d);
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 1);
    fs::remove(d / "manifest.jsonl");
    CHECK_FALSE(detect_layout(d));
    fs::remove_all(d);
}

TEST_CASE("natural order compares digit runs as numbers", "[dataset]") {
    CHECK(natural_less("hdfs/correct/2", "hdfs/correct/10"));
    CHECK_FALSE(natural_less("hdfs/correct/10", "hdfs/correct/2"));
    CHECK(natural_less("a", "b"));
    CHECK(natural_less("a1", "a1x"));
    CHECK_FALSE(natural_less("a1", "a1"));
}

TEST_CASE("version tables are read, comments skipped", "[dataset]") {
    const fs::path d = temp_dir("versions");
    std::ofstream(d / "v.tsv") << "# comment\nhdfs\t3.3.0\n\nredis\t7.0.0\n";
    auto t = read_version_table(d / "v.tsv");
    REQUIRE(t);
    CHECK(t->size() == 2);
    CHECK(t->at("redis") == "7.0.0");
    std::ofstream(d / "bad.tsv") << "hdfs 3.3.0\n";
    CHECK_FALSE(read_version_table(d / "bad.tsv"));
    CHECK(default_version_table().at("hdfs") == "3.3.0");
    fs::remove_all(d);
}

TEST_CASE("the artifact layout is read as is", "[dataset][artifact]") {
    auto root = test::shared_dir();
    if (!root) return;
    REQUIRE(detect_layout(*root).value() == DatasetLayout::artifact);
    auto ds = read_dataset(*root);
    REQUIRE(ds);
    CHECK(ds->systems() == std::vector<std::string>{"alluxio", "django", "hbase", "hcommon", "hdfs", "postgresql"});
    CHECK(ds->items.size() == 562);  // 281 erroneous + 281 correct
    long value_relationship = 0, misconfigured = 0;
    for (const auto& item : ds->items) {
        CHECK(fs::is_regular_file(item.path));
        if (item.label == Label::misconfigured) ++misconfigured;
        if (item.subcategory == "Value Relationship") {
            ++value_relationship;
            CHECK(item.params.size() == 2);
        } else if (item.label == Label::misconfigured) {
            CHECK(item.params.size() == 1);
        }
    }
    CHECK(misconfigured == 281);
    CHECK(value_relationship == 17);
    // Line 1 of hdfs.tsv describes erroneous/1.
    DatasetOptions o;
    o.systems = {"hdfs"};
    auto hdfs = read_dataset(*root / "datasets" / "synthesize_config", o);
    REQUIRE(hdfs);
    CHECK(hdfs->items.size() == 128);
    const DatasetItem& first = hdfs->items[64];
    CHECK(first.id == "hdfs/erroneous/1");
    CHECK(first.kind == "erroneous");
    CHECK(first.number == 1);
    CHECK(first.params == std::vector<std::string>{"dfs.default.chunk.view.size"});
    CHECK(first.category == "Syntax");
    CHECK(first.subcategory == "Data Type");
    CHECK(first.version == "3.3.0");
    CHECK(hdfs->items[0].id == "hdfs/correct/1");
    CHECK(hdfs->items[1].id == "hdfs/correct/2");
}

TEST_CASE("per-system case sets under datasets/ are one dataset, with their facts", "[dataset]") {
    const fs::path dir = temp_dir("cases");
    fs::create_directories(dir / "nccl" / "cases" / "001" / "bad");
    fs::create_directories(dir / "sbatch" / "cases" / "001" / "bad");
    fs::create_directories(dir / "empty");  // a system without a case set is fine
    std::ofstream(dir / "nccl" / "cases" / "001" / "bad" / "nccl.conf") << "NCCL_DEBUG=LOUD\n";
    std::ofstream(dir / "sbatch" / "cases" / "001" / "bad" / "a.sbatch") << "#SBATCH --gpus-per-node=16\n";
    std::ofstream(dir / "nccl" / "cases" / "manifest.jsonl")
        << R"({"id": "nccl/001/bad", "path": "001/bad/nccl.conf", "system": "nccl", "label": "misconfigured", "params": ["NCCL_DEBUG"], "category": "Range", "provenance": "NCCL docs"})"
        << "\n";
    std::ofstream(dir / "sbatch" / "cases" / "manifest.jsonl")
        << R"({"id": "sbatch/001/bad", "path": "001/bad/a.sbatch", "system": "sbatch", "label": "misconfigured", "params": ["gpus-per-node"], "context": {"gpus_per_node": "8"}})"
        << "\n";
    REQUIRE(detect_layout(dir).value() == DatasetLayout::manifest);
    auto ds = read_dataset(dir);
    REQUIRE(ds);
    REQUIRE(ds->items.size() == 2);
    CHECK(ds->items[0].path == dir / "nccl" / "cases" / "001/bad/nccl.conf");
    CHECK(ds->items[0].context.empty());
    CHECK(ds->items[1].context == std::map<std::string, std::string>{{"gpus_per_node", "8"}});
    std::ofstream(dir / "sbatch" / "cases" / "manifest.jsonl")
        << R"({"id": "x", "path": "p", "system": "sbatch", "label": "valid", "context": {"nodes": 2}})" << "\n";
    auto bad = read_dataset(dir);
    REQUIRE(!bad);
    CHECK(bad.error().message == "\"context\" values must be strings");
    fs::remove_all(dir);
}

TEST_CASE("the shipped case set reads as a dataset", "[dataset]") {
    auto ds = read_dataset(test::source_dir() / "datasets");
    REQUIRE(ds);
    CHECK(ds->items.size() >= 300);  // at least 150 cases, each with its fixed twin
    CHECK(ds->systems().size() >= 12);
}
