// `ciri eval` through the real binary.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "tests/backends/llm_test_env.hpp"
#include "tests/cli/cli_run.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) { return test::fresh_temp_dir("cmd-eval-" + name); }

std::string slurp(const fs::path& p) { return test::read_file(p); }

}  // namespace

TEST_CASE("eval --set real-world counts detected cases per system from recorded results", "[cli][eval][real-world]") {
    const fs::path root = test::fixture("eval/real_world");
    const fs::path d = temp_dir("real_world");
    const std::string answers = (d / "answers.jsonl").string();
    auto imp = test::run_ciri_binary("", {"eval", "import-ciri", root.string(), "--out", answers}, d);
    REQUIRE(imp.code == 0);
    CHECK(imp.out.find("6 recorded results of 2 models") != std::string::npos);

    SECTION("one model") {
        auto r = test::run_ciri_binary("", {"eval", "--set", "real-world", "--dataset", root.string(), "--model",
                                            "recorded/gpt-4-0125-preview@" + answers, "--out",
                                            (d / "gpt4").string(), "--no-progress"},
                                       d);
        INFO(r.err);
        REQUIRE(r.code == 0);
        CHECK(r.out.find("detected: 2 of 4 cases (hdfs 1/2, redis 1/1, zookeeper 0/1)") != std::string::npos);
        auto results = nlohmann::json::parse(slurp(d / "gpt4" / "results.json"));
        CHECK(results["detected"]["total"]["detected"] == 2);
        CHECK(results["detected"]["systems"]["zookeeper"]["missed"] ==
              nlohmann::json::array({"zookeeper/ZOOKEEPER-77"}));
        const std::string md = slurp(d / "gpt4" / "report.md");
        CHECK(md.find("## Cases detected") != std::string::npos);
        CHECK(md.find("| hdfs | 2 | 1 | hdfs/HDFS-9002 |") != std::string::npos);
        CHECK(md.find("| total | 4 | 2 | |") != std::string::npos);
    }
    SECTION("the other model, its recorded Final results") {
        auto r = test::run_ciri_binary("", {"eval", "--set", "real-world", "--dataset", root.string(), "--model",
                                            "recorded/claude-3-opus-20240229@" + answers, "--recorded-final",
                                            "--out", (d / "opus").string(), "--no-progress"},
                                       d);
        INFO(r.err);
        REQUIRE(r.code == 0);
        // HDFS-9001 recorded as correct; REDIS-501 has no answer file.
        CHECK(r.out.find("detected: 2 of 4 cases (hdfs 1/2, redis 0/1, zookeeper 1/1)") != std::string::npos);
    }
    SECTION("--systems keeps some systems") {
        auto r = test::run_ciri_binary("", {"eval", "--set", "real-world", "--dataset", root.string(), "--systems",
                                            "redis", "--model", "recorded/gpt-4-0125-preview@" + answers, "--out",
                                            (d / "redis").string(), "--no-progress"},
                                       d);
        REQUIRE(r.code == 0);
        CHECK(r.out.find("detected: 1 of 1 cases (redis 1/1)") != std::string::npos);
    }
    fs::remove_all(d);
}

TEST_CASE("eval --set real-world says what is wrong with the set", "[cli][eval][real-world]") {
    const fs::path d = temp_dir("real_world_bad");
    auto bad = test::run_ciri_binary("", {"eval", "--set", "real-world", "--dataset",
                                          test::fixture("eval/real_world_bad").string(), "--model", "rules", "--out",
                                          (d / "out").string(), "--no-progress"},
                                     d);
    CHECK(bad.code == 2);
    CHECK(bad.err.find("historical_issue.tsv:2: expected the case id, then its misconfigured parameters") !=
          std::string::npos);
    auto unknown = test::run_ciri_binary("", {"eval", "--set", "real-world", "--dataset",
                                              test::fixture("eval/real_world_unknown_system").string(), "--model",
                                              "rules", "--out", (d / "out2").string(), "--no-progress"},
                                         d);
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("unknown system 'nosuchsys'") != std::string::npos);
    // The default set is synthesize_config: the real-world folder alone is not a dataset for it.
    auto wrong_set = test::run_ciri_binary("", {"eval", "--dataset", test::fixture("eval/real_world").string(),
                                                "--model", "rules", "--out", (d / "out3").string(), "--no-progress"},
                                           d);
    CHECK(wrong_set.code == 2);
    CHECK(wrong_set.err.find("add --set real-world") != std::string::npos);
    auto bogus = test::run_ciri_binary("", {"eval", "--set", "real_world", "--dataset", d.string(), "--model",
                                            "rules", "--out", (d / "out4").string()},
                                       d);
    CHECK(bogus.code == 2);
    CHECK(bogus.err.find("did you mean 'real-world'") != std::string::npos);
    fs::remove_all(d);
}

namespace {

// The artifact's recorded answers as answers.jsonl, imported once per test run.
std::optional<fs::path> artifact_answers(const fs::path& dir) {
    auto root = test::shared_dir();
    if (!root) return std::nullopt;
    const fs::path out = dir / "answers.jsonl";
    auto r = test::run_ciri_binary("", {"eval", "import-ciri", root->string(), "--out", out.string()}, dir);
    REQUIRE(r.code == 0);
    return out;
}

nlohmann::json eval_results(const fs::path& dir, const std::string& name, std::vector<std::string> args) {
    std::vector<std::string> argv = {"eval", "--dataset", test::shared_dir()->string(), "--out", (dir / name).string(),
                                     "--no-progress"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = test::run_ciri_binary("", argv, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(slurp(dir / name / "results.json"));
}

}  // namespace

TEST_CASE("eval: recorded/*@FILE beside rules runs every recorded model plus the rules", "[cli][eval][artifact]") {
    const fs::path d = temp_dir("star_rules");
    auto answers = artifact_answers(d);
    if (!answers) return;
    auto r = eval_results(d, "star", {"--systems", "alluxio", "--model", "recorded/*@" + answers->string(), "--model",
                                      "rules"});
    CHECK(r["setup"]["models"].size() == 9);  // 8 recorded models + rules
    CHECK(r["setup"]["models"].back() == "rules");
    CHECK(r["setup"]["rules"] == true);
    CHECK(r["members"].size() == 9);  // each model alone, and the calibrated vote beside the param one
    CHECK(r["members"].contains("calibrated log-odds vote"));
    // Not the rules alone: their scores differ.
    auto rules = eval_results(d, "rules", {"--systems", "alluxio", "--model", "rules"});
    CHECK(r["macro"]["param"]["f1"] != rules["macro"]["param"]["f1"]);
    fs::remove_all(d);
}

TEST_CASE("eval: without the rules, weights fitted with them are not scored beside, and it says so", "[cli][eval][artifact]") {
    const fs::path d = temp_dir("no_rules_beside");
    auto answers = artifact_answers(d);
    if (!answers) return;
    auto r = test::run_ciri_binary("", {"eval", "--dataset", test::shared_dir()->string(), "--systems", "alluxio",
                                        "--model", "recorded/*@" + answers->string(), "--out", (d / "o").string(),
                                        "--no-progress"},
                                   d);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("the calibrated vote is not scored beside") != std::string::npos);
    auto results = nlohmann::json::parse(slurp(d / "o" / "results.json"));
    CHECK_FALSE(results["members"].contains("calibrated log-odds vote"));
    fs::remove_all(d);
}

TEST_CASE("eval: --recorded-final holds when the rules take part", "[cli][eval][artifact]") {
    const fs::path d = temp_dir("final_rules");
    auto answers = artifact_answers(d);
    if (!answers) return;
    const std::string model = "CodeLlama-7b-Instruct-hf@" + answers->string();
    const std::vector<std::string> base = {"--systems", "alluxio", "--model", "rules", "--hallucination-filter", "on"};
    auto with = [&](std::vector<std::string> more) {
        std::vector<std::string> a = base;
        a.insert(a.end(), more.begin(), more.end());
        return a;
    };
    auto flag = eval_results(d, "flag", with({"--model", "recorded/" + model, "--recorded-final"}));
    auto spec = eval_results(d, "spec", with({"--model", "recorded/CodeLlama-7b-Instruct-hf:final@" + answers->string()}));
    auto raw = eval_results(d, "raw", with({"--model", "recorded/" + model}));
    CHECK(flag["setup"]["recorded_final"] == true);
    // --recorded-final scores as the :final spec does, and not as the raw answers do.
    CHECK(flag["macro"]["param"] == spec["macro"]["param"]);
    CHECK(flag["macro"]["param"]["f1"] != raw["macro"]["param"]["f1"]);
    fs::remove_all(d);
}

TEST_CASE("eval: a live run counts answers, invalid answers and hallucinated parameters", "[cli][eval][emulator]") {
    test::TempDir dir("eval-live-counts");
    auto answer = [](const std::vector<std::string>& params) {
        nlohmann::json j = {{"hasError", !params.empty()},
                            {"errParameter", params},
                            {"reason", std::vector<std::string>(params.size(), "the value is wrong")}};
        return "```json\n" + j.dump() + "\n```";
    };
    // One sample per request (ollama): for the misconfigured HDFS file, an answer that breaks the
    // schema, one naming a parameter that is not in the file, then good answers.
    nlohmann::json script = {
        {"rules",
         {{{"match", "-5.5"},
           {"responses",
            {{{"answer", "I think it is fine?"}},
             {{"answer", answer({"dfs.no.such.parameter"})}},
             {{"answer", answer({"dfs.replication"})}},
             {{"answer", answer({"dfs.replication"})}}}}}}},
        {"default", answer({})}};
    test::EmulatorProcess emu(test::script_args(dir, script.dump()));
    auto r = test::run_ciri_binary("", {"eval", "--dataset", test::fixture("eval/small").string(), "--systems", "hdfs",
                                        "--model", "ollama/q@" + emu.base_url(), "--no-rules", "--no-cache", "--out",
                                        (dir.path / "out").string(), "--no-progress"},
                                   dir.path);
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(slurp(dir.path / "out" / "results.json"));
    CHECK(j["answers"]["invalid"] == 1);
    CHECK(j["answers"]["hallucinated"] == 1);
    CHECK(j["answers"]["total"].get<long>() >= 6);  // two files, at least a majority of 3 each, one re-asked
    CHECK(j["answers"]["total"].get<long>() == emu.stats()["requests"].get<long>());
    CHECK(j["detected"]["total"]["detected"] == 1);
}

TEST_CASE("eval --errata: the program-corrected labels are scored and the run says so", "[cli][eval][artifact]") {
    if (!test::shared_dir()) return;
    const fs::path d = temp_dir("errata");
    const std::string errata = (fs::path(CIRI_SOURCE_DIR) / "datasets/errata/ciri-icse25.tsv").string();
    auto as_labeled = eval_results(d, "labels", {"--systems", "postgresql", "--model", "rules"});
    auto corrected = eval_results(d, "errata", {"--systems", "postgresql", "--model", "rules", "--errata", errata});
    CHECK_FALSE(as_labeled["setup"].contains("labels"));
    CHECK(corrected["setup"]["labels"].get<std::string>().starts_with("13 labels corrected by " + errata));
    // The rules' findings on values PostgreSQL refuses are right by the corrected labels.
    CHECK(as_labeled["systems"]["postgresql"]["param"]["fp"] == 13);
    CHECK(corrected["systems"]["postgresql"]["param"]["fp"] == 0);
    CHECK_THAT(slurp(d / "errata" / "report.md"), Catch::Contains("**labels**: 13 labels corrected"));
    fs::remove_all(d);
}
