#include "eval/detected.hpp"

#include <catch2/catch.hpp>

#include "eval/results.hpp"
#include "tests/eval/eval_test_util.hpp"

using namespace ciri;
using ciri::test::make_prediction;

TEST_CASE("a case is detected when a reported parameter is one of its labeled ones", "[detected]") {
    std::vector<Prediction> ps = {
        make_prediction("a/1", "a", {"x", "y"}, {"z", "y"}),  // one of two: detected
        make_prediction("a/2", "a", {"x"}, {"z"}),            // flagged, wrong parameter: missed
        make_prediction("b/1", "b", {"x"}, {}),               // not flagged: missed
        make_prediction("b/2", "b", {}, {"x"}),               // valid item: not a case
    };
    DetectedCases d = count_detected(ps);
    CHECK(d.total.cases == 3);
    CHECK(d.total.detected == 1);
    CHECK(d.systems.at("a").detected == 1);
    CHECK(d.systems.at("a").missed == std::vector<std::string>{"a/2"});
    CHECK(d.systems.at("b").cases == 1);
    CHECK(d.systems.at("b").detected == 0);

    nlohmann::json r = build_results(ps, {{"name", "t"}, {"models", {"t"}}, {"vote", "param"}});
    CHECK(r["detected"] == detected_to_json(d));
    CHECK(detected_summary(r) == "detected: 1 of 3 cases (a 1/2, b 0/1)\n");
    const std::string md = detected_markdown(r);
    CHECK(md.find("| a | 2 | 1 | a/2 |") != std::string::npos);
    CHECK(md.find("| total | 3 | 1 | |") != std::string::npos);
    CHECK(detected_markdown(nlohmann::json::object()).empty());
}

TEST_CASE("the report lists at most ten missed cases per system", "[detected]") {
    std::vector<Prediction> ps;
    for (int i = 0; i < 12; ++i) ps.push_back(make_prediction("a/" + std::to_string(i), "a", {"x"}, {}));
    const std::string md = detected_markdown({{"detected", detected_to_json(count_detected(ps))}});
    CHECK(md.find("a/9 and 2 more") != std::string::npos);
    CHECK(md.find("a/10") == std::string::npos);
}
