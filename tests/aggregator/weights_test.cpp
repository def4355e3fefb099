#include "aggregator/weights.hpp"

#include <catch2/catch.hpp>
#include <cmath>

TEST_CASE("voter_key: model names without provider, mode or base URL", "[weights]") {
    CHECK(ciri::voter_key("openai/gpt-4o@http://127.0.0.1:8000/v1") == "gpt-4o");
    CHECK(ciri::voter_key("recorded/gpt-4-0125-preview:zero_shot:final@answers.jsonl") == "gpt-4-0125-preview");
    CHECK(ciri::voter_key("ollama/qwen2.5-coder:7b") == "qwen2.5-coder:7b");
    CHECK(ciri::voter_key("rules") == "rules");
}

TEST_CASE("neutral_llm: an uncalibrated LLM alone reports what it names and nothing else", "[weights]") {
    ciri::Weights w;
    w.prior = 0.06;
    w.threshold = 0.5;
    ciri::Reliability r = ciri::neutral_llm(w);
    double gap = w.threshold - ciri::logit(w.prior);
    ciri::Opinion wrong{ciri::Stance::wrong, 1.0};
    ciri::Opinion ok{ciri::Stance::ok, 0.0};
    CHECK(ciri::log_likelihood_ratio(wrong, r) == Approx(gap + 1));
    CHECK(ciri::log_likelihood_ratio(ok, r) == Approx(-(gap + 1)));
    CHECK(ciri::logit(w.prior) + ciri::log_likelihood_ratio(wrong, r) > w.threshold);
    // reliability_for falls back to it for an unknown LLM, and the rules unmeasured weigh nothing.
    CHECK(ciri::reliability_for(w, "openai/some-model").sensitivity == Approx(r.sensitivity));
    CHECK(ciri::log_likelihood_ratio(wrong, ciri::reliability_for(w, "rules")) == Approx(0));
    w.default_llm = ciri::Reliability{0.7, 0.1, {}, 0, 0};
    CHECK(ciri::reliability_for(w, "openai/some-model").sensitivity == Approx(0.7));
}

TEST_CASE("log_likelihood_ratio: shares mix wrong and ok; abstain adds nothing", "[weights]") {
    ciri::Reliability r{0.8, 0.1, {{"Range", {0.3, 0.001}}}, 0, 0};
    ciri::Opinion half{ciri::Stance::wrong, 0.5};
    CHECK(ciri::log_likelihood_ratio(half, r) == Approx(0.5 * std::log(8.0) + 0.5 * std::log(0.2 / 0.9)));
    ciri::Opinion range{ciri::Stance::wrong, 1.0, "Range"};
    CHECK(ciri::log_likelihood_ratio(range, r) == Approx(std::log(300.0)));
    CHECK(ciri::log_likelihood_ratio(ciri::Opinion{}, r) == 0);
}
