#include "ciri/weights_file.hpp"

#include <catch2/catch.hpp>

TEST_CASE("weights file: what is written reads back", "[weights]") {
    ciri::Weights w;
    w.source = "labels of somewhere";
    w.prior = 0.0625;
    w.threshold = -0.75;
    w.default_llm = ciri::Reliability{0.6, 0.06, {}, 100, 900};
    w.voters["rules"] = {0.7, 0.0004, {{"Range", {0.3, 0.0002}}}, 250, 2750};
    w.voters["gpt-4"] = {0.6, 0.05, {}, 250, 2750, 0.25};
    auto back = ciri::read_weights_text(ciri::weights_yaml(w), "w.yaml");
    REQUIRE(back);
    CHECK(back->source == w.source);
    CHECK(back->prior == Approx(w.prior));
    CHECK(back->threshold == Approx(w.threshold));
    REQUIRE(back->default_llm);
    CHECK(back->default_llm->false_alarm == Approx(0.06));
    CHECK(back->voters.at("rules").categories.at("Range").second == Approx(0.0002));
    CHECK(back->voters.at("rules").fine == Approx(2750));
    CHECK(back->voters.at("rules").scale == 1.0);
    CHECK(back->voters.at("gpt-4").scale == Approx(0.25));
    CHECK(ciri::weights_yaml(w).find("scale: 0.25") != std::string::npos);
    auto scale = ciri::read_weights_text("prior: 0.1\nvoters:\n  x: {sensitivity: 0.5, false_alarm: 0.1, scale: 2}\n", "w.yaml");
    REQUIRE_FALSE(scale);
    CHECK(scale.error().message.find("'scale' must be above 0 and at most 1") != std::string::npos);
}

TEST_CASE("weights file: bad input is an error with its line", "[weights]") {
    auto unknown = ciri::read_weights_text("prior: 0.1\nvoters:\n  rules: {sensitivity: 0.5, false_alarm: 0.1, weight: 2}\n", "w.yaml");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().line == 3);
    CHECK(unknown.error().message.find("unknown key 'weight'") != std::string::npos);
    auto rate = ciri::read_weights_text("prior: 0.1\nvoters:\n  x:\n    sensitivity: 1\n    false_alarm: 0.1\n", "w.yaml");
    REQUIRE_FALSE(rate);
    CHECK(rate.error().line == 4);
    CHECK_FALSE(ciri::read_weights_text("threshold: 1\n", "w.yaml"));        // no prior
    CHECK_FALSE(ciri::read_weights_text("prior: [1\n", "w.yaml"));           // not YAML
    CHECK_FALSE(ciri::read_weights("/nonexistent/weights.yaml"));
}

TEST_CASE("weights file: the shipped defaults parse and measure the rules", "[weights]") {
    auto w = ciri::default_weights();
    REQUIRE(w);
    REQUIRE(w->voters.contains("rules"));
    REQUIRE(w->default_llm);
    CHECK(w->source.find("ciri-icse25") != std::string::npos);
    // The rules' wrong opinions are far more telling than a typical LLM's.
    CHECK(w->voters.at("rules").sensitivity / w->voters.at("rules").false_alarm >
          w->default_llm->sensitivity / w->default_llm->false_alarm);
}

TEST_CASE("weights file: only a regular file of bounded size is read", "[weights]") {
    // A repository's .ciri.yaml may name it: /dev/zero must end in an error, not in a hang.
    auto zero = ciri::read_weights("/dev/zero");
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message.starts_with("cannot read the weights file"));
    CHECK_FALSE(ciri::read_weights("/nonexistent/weights.yaml"));
}
