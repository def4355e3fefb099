#include "eval/metrics.hpp"

#include <catch2/catch.hpp>

#include "tests/eval/eval_test_util.hpp"

using namespace ciri;

namespace {

// With a category, so the per-category tables have something to count.
Prediction make(std::string id, std::string system, std::vector<std::string> truth, std::vector<std::string> reported,
                int file_params = 8) {
    Prediction p = ciri::test::make_prediction(std::move(id), std::move(system), std::move(truth), std::move(reported),
                                         file_params);
    if (p.label == Label::misconfigured) p.category = "Range", p.subcategory = "Port";
    return p;
}

}  // namespace

TEST_CASE("file level counts follow the paper's Table IV", "[metrics]") {
    CHECK(file_counts(make("a", "s", {"x"}, {"y"})) == Counts{1, 0, 0, 0});  // flagged, even for the wrong param
    CHECK(file_counts(make("a", "s", {}, {"y"})) == Counts{0, 1, 0, 0});
    CHECK(file_counts(make("a", "s", {"x"}, {})) == Counts{0, 0, 1, 0});
    CHECK(file_counts(make("a", "s", {}, {})) == Counts{0, 0, 0, 1});
    auto inconclusive = make("a", "s", {"x"}, {});
    inconclusive.verdict = VerdictStatus::inconclusive;
    CHECK(file_counts(inconclusive) == Counts{0, 0, 1, 0});
    // An inconclusive valid file was not judged valid: no true negative, at either level.
    auto unsure = make("a", "s", {}, {});
    unsure.verdict = VerdictStatus::inconclusive;
    CHECK(file_counts(unsure) == Counts{0, 0, 0, 0});
    CHECK(param_counts(unsure) == Counts{0, 0, 0, 0});
}

TEST_CASE("parameter level TN counts the file's other parameters", "[metrics]") {
    // 8 parameters; truth x; reported x and y: TP 1, FP 1, FN 0, TN 8 - 2 = 6.
    CHECK(param_counts(make("a", "s", {"x"}, {"x", "y"})) == Counts{1, 1, 0, 6});
    // Missed: FN 1, TN 7.
    CHECK(param_counts(make("a", "s", {"x"}, {})) == Counts{0, 0, 1, 7});
    // Valid file, two reported: FP 2, TN 6.
    CHECK(param_counts(make("a", "s", {}, {"p", "q"})) == Counts{0, 2, 0, 6});
    // Repeats count once.
    CHECK(param_counts(make("a", "s", {"x"}, {"x", "x"})) == Counts{1, 0, 0, 7});
    // Unknown parameter count: no TN.
    CHECK(param_counts(make("a", "s", {"x"}, {"x"}, 0)) == Counts{1, 0, 0, 0});
}

TEST_CASE("a value-relationship row has two misconfigured parameters", "[metrics]") {
    auto both = make("a", "s", {"min", "max"}, {"max", "min"});
    CHECK(param_counts(both) == Counts{2, 0, 0, 6});
    auto one = make("a", "s", {"min", "max"}, {"max"});
    CHECK(param_counts(one) == Counts{1, 0, 1, 6});
    Scores s = score({one});
    CHECK(s.systems["s"].param.rates.precision == Approx(1.0));
    CHECK(s.systems["s"].param.rates.recall == Approx(0.5));
    CHECK(s.systems["s"].file.rates.recall == Approx(1.0));
}

TEST_CASE("rates handle empty denominators and compute accuracy", "[metrics]") {
    Rates r = rates(Counts{0, 0, 3, 5});
    CHECK(r.precision == 0);
    CHECK(r.recall == 0);
    CHECK(r.f1 == 0);
    CHECK(r.accuracy == Approx(5.0 / 8));
    Rates q = rates(Counts{3, 1, 2, 4});
    CHECK(q.precision == Approx(0.75));
    CHECK(q.recall == Approx(0.6));
    CHECK(q.f1 == Approx(2 * 0.75 * 0.6 / 1.35));
    CHECK(q.accuracy == Approx(0.7));
}

TEST_CASE("macro average is the mean of per-system rates, not pooled counts", "[metrics]") {
    // System a: perfect (F1 1). System b: 1 TP, 3 FP (P .25, R 1, F1 .4).
    std::vector<Prediction> ps = {make("a1", "a", {"x"}, {"x"}), make("b1", "b", {"x"}, {"x", "p", "q", "r"})};
    Scores s = score(ps);
    REQUIRE(s.systems.size() == 2);
    CHECK(s.systems["b"].param.rates.f1 == Approx(0.4));
    CHECK(s.macro_param.f1 == Approx(0.7));
    CHECK(s.macro_param.precision == Approx(0.625));
    // Pooled would be TP 2 / FP 3: P .4, F1 .571; the macro must not be that.
    CHECK(s.macro_param.f1 != Approx(2 * 0.4 / 1.4));
}

TEST_CASE("categories, rates, usage and latency are aggregated", "[metrics]") {
    auto a = make("a", "s", {"x"}, {"x"});
    a.answers = 3, a.invalid_answers = 1, a.reported_raw = 4, a.hallucinated = 1;
    a.requests = 2, a.prompt_tokens = 100, a.completion_tokens = 10, a.cost_usd = 0.5, a.latency_ms = 100;
    auto b = make("b", "s", {}, {});
    b.answers = 1, b.requests = 1, b.cost_usd = std::nullopt, b.latency_ms = 300;
    auto dup = make("a", "s", {"x"}, {});  // a later duplicate id is ignored
    Scores s = score({a, b, dup});
    CHECK(s.items == 2);
    CHECK(s.invalid_rate == Approx(0.25));
    CHECK(s.hallucination_rate == Approx(0.25));
    CHECK(s.requests == 3);
    CHECK(s.cost_usd == Approx(0.5));
    CHECK_FALSE(s.cost_complete);
    CHECK(s.latency_p50_ms == Approx(100));
    CHECK(s.latency_p95_ms == Approx(300));
    REQUIRE(s.categories.count("Range"));
    CHECK(s.categories["Range"].items == 1);
    CHECK(s.subcategories.count("Range / Port"));
}

TEST_CASE("percentile is nearest-rank", "[metrics]") {
    CHECK(percentile({}, 50) == 0);
    CHECK(percentile({5, 1, 3, 2, 4}, 50) == 3);
    CHECK(percentile({5, 1, 3, 2, 4}, 95) == 5);
    CHECK(percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90) == 9);
}

TEST_CASE("members are scored alone", "[metrics]") {
    auto p = make("a", "s", {"x"}, {"x"});
    p.members = {{"m1", VerdictStatus::misconfigured, {"x"}}, {"m2", VerdictStatus::valid, {}}};
    auto q = make("b", "s", {}, {});
    q.members = {{"m1", VerdictStatus::misconfigured, {"y"}}, {"m2", VerdictStatus::valid, {}}};
    CHECK(member_names({p, q}) == std::vector<std::string>{"m1", "m2"});
    Scores m1 = score_member({p, q}, "m1");
    CHECK(m1.systems["s"].file.counts == Counts{1, 1, 0, 0});
    Scores m2 = score_member({p, q}, "m2");
    CHECK(m2.systems["s"].file.counts == Counts{0, 0, 1, 1});
}
