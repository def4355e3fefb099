#include "eval/bootstrap.hpp"

#include <catch2/catch.hpp>

#include "tests/eval/eval_test_util.hpp"

using namespace ciri;

namespace {

// `n` items per system, the first `right` of each flagged with the true parameter.
std::vector<Prediction> run(int n, int right) {
    std::vector<Prediction> out;
    for (const char* s : {"a", "b"})
        for (int i = 0; i < n; ++i)
            out.push_back(test::make_prediction(std::string(s) + "/" + std::to_string(i), s, {"x"},
                                                i < right ? std::vector<std::string>{"x"} : std::vector<std::string>{}));
    return out;
}

}  // namespace

TEST_CASE("bootstrap_macro_f1: the interval holds the observed F1 and shrinks with more items", "[bootstrap]") {
    auto small = bootstrap_macro_f1(run(20, 10));
    auto large = bootstrap_macro_f1(run(400, 200));
    // Observed param F1: precision 1, recall .5 -> 2/3.
    CHECK(small.param.low <= 2.0 / 3);
    CHECK(small.param.high >= 2.0 / 3);
    CHECK(large.param.high - large.param.low < small.param.high - small.param.low);
    // Reproducible: a fixed seed.
    CHECK(bootstrap_macro_f1(run(20, 10)).param.low == small.param.low);
}

TEST_CASE("paired_bootstrap: a real difference is beyond noise, a tiny one is not", "[bootstrap]") {
    auto worse = run(200, 60), better = run(200, 160), same = run(200, 61);
    auto d = paired_bootstrap(worse, better);
    CHECK(d.items == 400);
    CHECK(d.difference > 0.3);
    CHECK(d.beyond_noise);
    CHECK(d.interval.low > 0);
    auto n = paired_bootstrap(worse, same);
    CHECK_FALSE(n.beyond_noise);
    CHECK(paired_bootstrap(worse, {}).items == 0);
}

TEST_CASE("predictions_csv: one quoted line per item", "[bootstrap]") {
    auto p = test::make_prediction("a/1", "a", {"x", "y"}, {"x"});
    p.error = "said \"no\", twice";
    std::string csv = predictions_csv({p});
    CHECK(csv == "id,system,label,verdict,truth,reported,error\n"
                 "a/1,a,misconfigured,misconfigured,x;y,x,\"said \"\"no\"\", twice\"\n");
}
