// `ciri eval` through the real binary.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "tests/cli/cli_run.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ciri_cmd_eval_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

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
