#include "eval/import_ciri.hpp"

#include <catch2/catch.hpp>

#include "ciri/backends/recorded_answers.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

TEST_CASE("the artifact root is found from results/ and results/synthesize_config", "[import]") {
    auto root = test::shared_dir();
    if (!root) return;
    CHECK(artifact_root_of(*root).value() == *root);
    CHECK(artifact_root_of(*root / "results").value() == *root);
    CHECK(artifact_root_of(*root / "results" / "synthesize_config").value() == *root);
    CHECK_FALSE(artifact_root_of(test::fixture("eval")));
}

TEST_CASE("import-ciri converts the whole results tree", "[import][artifact]") {
    auto root = test::shared_dir();
    if (!root) return;
    const fs::path out = fs::temp_directory_path() / ("ciri_import_" + std::to_string(::getpid()) + ".jsonl");
    auto stats = import_ciri_results(*root / "results", out);
    REQUIRE(stats);
    CHECK(stats->skipped.empty());
    CHECK(stats->records == 8992);  // 6 systems, 562 files, 8 models, 2 modes
    CHECK(stats->models.size() == 8);
    auto answers = RecordedAnswers::load(out);
    REQUIRE(answers);
    const RecordedRecord* r = answers->find("gpt-4-0125-preview", "default", "hdfs", "erroneous", 1);
    REQUIRE(r);
    CHECK(r->params == std::vector<std::string>{"dfs.default.chunk.view.size"});
    CHECK(r->rounds.size() == 1);
    CHECK(r->content_lines > 10);
    CHECK(r->first_line == "<?xml version=\"1.0\"?>");
    // Found by content, as a prompt holding the dataset file would find it.
    const RecordedRecord* byc =
        answers->find_by_key("CodeLlama-7b-Instruct-hf", "zero_shot", r->content_sha256);
    REQUIRE(byc);
    CHECK(byc->item_id() == "hdfs/erroneous/1");
    CHECK(answers->modes("gpt-4-0125-preview") == std::vector<std::string>{"default", "zero_shot"});
    fs::remove(out);
}

TEST_CASE("import-ciri reads the real-world layout: results/real_world_config/<model>/<CASE-ID>", "[import]") {
    const fs::path root = test::fixture("eval/real_world");
    CHECK(artifact_root_of(root / "results" / "real_world_config").value() == root);
    const fs::path out = fs::temp_directory_path() / ("ciri_import_rw_" + std::to_string(::getpid()) + ".jsonl");
    auto stats = import_ciri_results(root, out);
    REQUIRE(stats);
    CHECK(stats->records == 6);
    auto answers = RecordedAnswers::load(out);
    REQUIRE(answers);
    const RecordedRecord* r = nullptr;
    for (const auto& rec : answers->records())
        if (rec.model == "gpt-4-0125-preview" && rec.case_id == "REDIS-501") r = &rec;
    REQUIRE(r);
    CHECK(r->system == "redis");  // from the folder of datasets/real_world_config holding the case
    CHECK(r->mode == "default");
    CHECK(r->item_id() == "redis/REDIS-501");
    CHECK(r->params == std::vector<std::string>{"maxmemory-policy"});
    CHECK(answers->find_by_key("gpt-4-0125-preview", "default", r->content_sha256) == r);
    fs::remove(out);
}

TEST_CASE("import-ciri lists a real-world result whose case file is missing", "[import]") {
    const fs::path d = fs::temp_directory_path() / ("ciri_import_rw_missing_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::copy(test::fixture("eval/real_world"), d, fs::copy_options::recursive);
    fs::remove(d / "datasets" / "real_world_config" / "redis" / "REDIS-501");
    auto stats = import_ciri_results(d, d / "answers.jsonl");
    REQUIRE(stats);
    CHECK(stats->records == 5);
    REQUIRE(stats->skipped.size() == 1);
    CHECK(stats->skipped[0].message.find("REDIS-501") != std::string::npos);
    fs::remove_all(d);
}
