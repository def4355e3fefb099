// `ciri calibrate` end to end on the paper's artifact (recorded answers), and its errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ciri/weights_file.hpp"
#include "tests/cli/cli_run.hpp"
#include "tests/support/paths.hpp"

using namespace ciri::test;
namespace fs = std::filesystem;

TEST_CASE("calibrate: refuses live models and a missing --out", "[cli][calibrate]") {
    auto live = run_ciri({"calibrate", "--dataset", ".", "--model", "openai/gpt-4o", "--out", "w.yaml"});
    CHECK(live.code == 2);
    CHECK(live.err.find("replays recorded answers") != std::string::npos);
    auto no_out = run_ciri({"calibrate", "--dataset", ".", "--model", "rules"});
    CHECK(no_out.code == 2);
    CHECK(no_out.err.find("--out is required") != std::string::npos);
}

TEST_CASE("calibrate: writes weights that validate and eval read", "[cli][calibrate][artifact]") {
    auto root = shared_dir();
    if (!root) return;
    fs::path dir = fs::temp_directory_path() / "ciri-cmd-calibrate-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string answers = (dir / "answers.jsonl").string();
    REQUIRE(run_ciri({"eval", "import-ciri", root->string(), "--out", answers}).code == 0);
    std::string out = (dir / "w.yaml").string();
    auto r = run_ciri({"calibrate", "--dataset", root->string(), "--systems", "hdfs,hbase", "--model",
                       "recorded/gpt-4-0125-preview@" + answers, "--model", "rules", "--out", out});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("gpt-4-0125-preview") != std::string::npos);
    auto w = ciri::read_weights(out);
    REQUIRE(w);
    CHECK(w->voters.contains("rules"));
    CHECK(w->voters.contains("gpt-4-0125-preview"));
    CHECK(w->source.find("hbase, hdfs") != std::string::npos);
    // Unsupervised: Dawid-Skene from agreement alone, threshold 0.
    auto u = run_ciri({"calibrate", "--dataset", root->string(), "--systems", "hdfs", "--model",
                       "recorded/*@" + answers, "--unsupervised", "--out", (dir / "u.yaml").string()});
    INFO(u.err);
    REQUIRE(u.code == 0);
    CHECK(ciri::read_weights(dir / "u.yaml")->threshold == 0);
    // Eval scores a system the weights were not made on, with the uncalibrated vote beside.
    auto e = run_ciri({"eval", "--dataset", root->string(), "--systems", "alluxio", "--model",
                       "recorded/gpt-4-0125-preview@" + answers, "--model", "rules", "--vote", "log-odds", "--weights",
                       out, "--out", (dir / "eval").string(), "--no-progress"});
    INFO(e.err);
    REQUIRE(e.code == 0);
    std::ifstream results(dir / "eval" / "results.json");
    std::string text((std::istreambuf_iterator<char>(results)), std::istreambuf_iterator<char>());
    CHECK(text.find("uncalibrated param vote") != std::string::npos);
    CHECK(text.find("\"rules\"") != std::string::npos);
    // The default param vote scores the calibrated one beside it; each side's member is exactly
    // what a run with the other vote reports as its own.
    auto p = run_ciri({"eval", "--dataset", root->string(), "--systems", "alluxio", "--model",
                       "recorded/gpt-4-0125-preview@" + answers, "--model", "rules", "--weights", out, "--out",
                       (dir / "eval-param").string(), "--no-progress"});
    INFO(p.err);
    REQUIRE(p.code == 0);
    auto results_of = [&](const char* sub) {
        std::ifstream in(dir / sub / "results.json");
        return nlohmann::json::parse(in);
    };
    auto lo = results_of("eval"), param = results_of("eval-param");
    REQUIRE(param["members"].contains("calibrated log-odds vote"));
    CHECK(param["members"]["calibrated log-odds vote"]["macro"] == lo["macro"]);
    CHECK(lo["members"]["uncalibrated param vote"]["macro"] == param["macro"]);
    CHECK(param["setup"]["calibrated_beside"].get<std::string>().find("hbase, hdfs") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("calibrate --errata: leave-one-out scores the program-corrected labels and says so",
          "[cli][calibrate][artifact]") {
    auto root = shared_dir();
    if (!root) return;
    const std::string errata = (fs::path(CIRI_SOURCE_DIR) / "datasets/errata/ciri-icse25.tsv").string();
    auto line_of = [](const std::string& out) {
        auto at = out.find("leave one system out:");
        REQUIRE(at != std::string::npos);
        return out.substr(at, out.find('\n', at) - at);
    };
    std::vector<std::string> base = {"calibrate", "--dataset", root->string(), "--systems", "postgresql,hdfs",
                                     "--model", "rules", "--leave-one-out"};
    auto labeled = run_ciri(base);
    base.insert(base.end(), {"--errata", errata});
    auto corrected = run_ciri(base);
    INFO(corrected.err);
    REQUIRE(labeled.code == 0);
    REQUIRE(corrected.code == 0);
    CHECK(corrected.out.find("13 labels corrected by " + errata) != std::string::npos);
    CHECK(labeled.out.find("labels corrected") == std::string::npos);
    CHECK(line_of(corrected.out) != line_of(labeled.out));
}
