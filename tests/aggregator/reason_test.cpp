#include "aggregator/reason.hpp"

#include <catch2/catch.hpp>

#include "aggregator/answer.hpp"
#include "aggregator/ciri_result.hpp"
#include "tests/support/paths.hpp"

using ciri::pick_reason;
using ciri::ReasonSample;

TEST_CASE("reason: the largest cluster wins, its most central member is returned", "[reason]") {
    std::vector<ReasonSample> samples = {
        {"gpt", "The port 99999 is out of the valid range 0-65535."},
        {"claude", "dfs.replication has a negative value."},
        {"gpt", "The port value 99999 is out of the valid port range."},
        {"llama", "Port 99999 is out of the valid range for a port."},
    };
    auto pick = pick_reason(samples);
    CHECK(pick.cluster_size == 3);
    CHECK(pick.votes == 4);
    CHECK(pick.backends == std::vector<std::string>{"gpt", "claude", "llama"});
    CHECK(pick.reason.find("99999") != std::string::npos);
    CHECK(pick.reason != samples[1].text);
}

TEST_CASE("reason: similarity is TF-IDF cosine", "[reason]") {
    std::vector<std::string> corpus = {"value too large", "value too large",
                                       "entirely different words"};
    CHECK(ciri::reason_similarity(corpus, 0, 1) == Approx(1.0));
    CHECK(ciri::reason_similarity(corpus, 0, 2) == Approx(0.0));
    // Sentence punctuation and case do not split words.
    CHECK(ciri::reason_similarity({"Size.", "size", "x"}, 0, 1) == Approx(1.0));
}

TEST_CASE("reason: single-link joins chains, the threshold separates", "[reason]") {
    // a~b and b~c but a and c share little: one cluster through b.
    std::vector<ReasonSample> chain = {{"x", "alpha beta gamma delta"},
                                       {"x", "gamma delta epsilon zeta"},
                                       {"x", "epsilon zeta eta theta"},
                                       {"y", "one two"},
                                       {"y", "one two three"}};
    CHECK(pick_reason(chain, 0.3).cluster_size == 3);
    CHECK(pick_reason(chain, 0.3).reason == "gamma delta epsilon zeta");
    CHECK(pick_reason(chain, 0.99).cluster_size == 1);
}

TEST_CASE("reason: empty reasons are skipped; ties go to the first", "[reason]") {
    auto pick = pick_reason({{"a", ""}, {"b", "  "}, {"c", "only one"}});
    CHECK(pick.reason == "only one");
    CHECK(pick.votes == 3);
    CHECK(pick.cluster_size == 1);
    auto none = pick_reason({{"a", ""}});
    CHECK(none.reason.empty());
    CHECK(none.cluster_size == 0);
    CHECK(pick_reason({{"a", "first words"}, {"b", "other text"}}).reason == "first words");
    CHECK(pick_reason({}).votes == 0);
}

TEST_CASE("reason: recorded reasons of the artifact", "[reason][artifact]") {
    auto root = ciri::test::shared_dir();
    if (!root) return;
    // Unanimous three-answer rounds reporting one parameter: the pick must be one of the three
    // reasons, and Ciri's own recorded pick is one of them too; print how often they coincide.
    int rounds = 0, same = 0;
    for (const auto& path : ciri::ciri_result_files(*root)) {
        auto r = ciri::read_ciri_result(path);
        REQUIRE(r);
        const auto& round = r->deciding_round();
        if (round.size() != 3 || r->params.size() != 1) continue;
        std::vector<ReasonSample> samples;
        for (const auto& raw : round) {
            auto a = ciri::extract_answer(raw);
            if (a->params != r->params || a->reasons.size() != 1) break;
            samples.push_back({"model", a->reasons[0]});
        }
        if (samples.size() != 3) continue;
        ++rounds;
        auto pick = pick_reason(samples);
        CHECK(std::any_of(samples.begin(), samples.end(),
                          [&](const ReasonSample& s) { return s.text == pick.reason; }));
        same += pick.reason == r->reasons[0];
    }
    WARN("reason pick equals Ciri's recorded reason in " << same << "/" << rounds
                                                         << " unanimous one-parameter rounds");
    CHECK(rounds > 1000);
}
