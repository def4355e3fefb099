#include "eval/results.hpp"
#include "eval/report.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "tests/eval/eval_test_util.hpp"

using namespace ciri;

TEST_CASE("results.json has the documented shape", "[results]") {
    auto p = ciri::test::make_prediction("a/1", "a", {"x"}, {"x", "y"});
    p.members = {{"m1", VerdictStatus::misconfigured, {"x"}}, {"m2", VerdictStatus::valid, {}}};
    auto q = ciri::test::make_prediction("b/1", "b", {}, {});
    q.members = {{"m1", VerdictStatus::valid, {}}, {"m2", VerdictStatus::valid, {}}};
    auto j = build_results({p, q}, {{"name", "vote"}});
    for (const char* level : {"file", "param"})
        for (const char* m : {"precision", "recall", "f1", "accuracy"}) {
            CHECK(j["systems"]["a"][level].contains(m));
            CHECK(j["macro"][level].contains(m));
        }
    CHECK(j["systems"]["a"]["param"]["tp"] == 1);
    CHECK(j["systems"]["a"]["param"]["fp"] == 1);
    CHECK(j["systems"]["a"]["param"]["tn"] == 6);
    CHECK(j["setup"]["name"] == "vote");
    CHECK(j["members"].size() == 2);
    CHECK(j["members"]["m1"]["systems"]["a"]["param"]["precision"] == 1.0);
    CHECK(j.contains("categories"));
    CHECK(j["answers"].contains("hallucination_rate"));
    CHECK(j["latency_ms"].contains("p95"));
}

TEST_CASE("results.json lists every item without a verdict, with its reason", "[results]") {
    auto ok = test::make_prediction("a/1", "a", {"x"}, {"x"});
    auto missed = test::make_prediction("a/2", "a", {"x"}, {});
    missed.verdict = ciri::VerdictStatus::inconclusive;
    auto unsure = test::make_prediction("a/3", "a", {}, {});
    unsure.verdict = ciri::VerdictStatus::inconclusive;
    unsure.error = "no recorded answer from m";
    auto j = build_results({ok, missed, unsure}, {{"name", "x"}});
    REQUIRE(j["unresolved"].size() == 2);
    CHECK(j["unresolved"][0]["id"] == "a/2");
    CHECK(j["unresolved"][0]["reason"] == "no verdict reached");
    CHECK(j["unresolved"][1]["reason"] == "no recorded answer from m");
    CHECK(j["unresolved_counts"]["errored"] == 1);
    CHECK(j["unresolved_counts"]["inconclusive_misconfigured"] == 1);
    CHECK(j["systems"]["a"]["file"]["tn"] == 0);  // the inconclusive valid file is no TN
    std::string md = ciri::render_markdown(j);
    CHECK(md.find("## Items without a verdict") != std::string::npos);
    CHECK(md.find("no recorded answer from m") != std::string::npos);
}

TEST_CASE("compare prints A, B and the difference per metric and system", "[results]") {
    auto a = build_results({test::make_prediction("a/1", "a", {"x"}, {"x"}), ciri::test::make_prediction("b/1", "b", {"x"}, {})}, {{"name", "A"}});
    auto b = build_results({test::make_prediction("a/1", "a", {"x"}, {"x", "y"}), ciri::test::make_prediction("c/1", "c", {"x"}, {"x"})}, {{"name", "B"}});
    const std::string out = compare_results(a, b, "a.json", "b.json");
    CHECK(out.find("A: a.json\nB: b.json") == 0);
    // System a param F1: 1.000 -> 0.667.
    CHECK(out.find("a param                       1.000    0.667   -0.333") != std::string::npos);
    CHECK(out.find("b                          only in A") != std::string::npos);
    CHECK(out.find("c                          only in B") != std::string::npos);
    // Macro param F1: A (1 + 0) / 2 = .5; B (.667 + 1) / 2 = .833.
    CHECK(out.find("macro param f1                0.500    0.833   +0.333") != std::string::npos);
}

TEST_CASE("read_results rejects files that are not results", "[results]") {
    const auto path = std::filesystem::temp_directory_path() / ("ciri_eval_results_" + std::to_string(::getpid()));
    std::ofstream(path) << "{\"systems\":{}}";
    CHECK_FALSE(read_results(path));
    std::ofstream(path) << "{\"systems\":{},\"macro\":{}}";
    CHECK(read_results(path));
    std::filesystem::remove(path);
    CHECK_FALSE(read_results(path));
}
