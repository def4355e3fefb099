#include "aggregator/vote.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "aggregator/ciri_result.hpp"
#include "tests/support/paths.hpp"

using ciri::BackendSamples;
using ciri::GroundedAnswer;
using ciri::VerdictStatus;
using ciri::VoteMethod;
using ciri::VoteOptions;

namespace {

// An answer grounded in a file where parameter "pN" sits on line N with value "vN".
GroundedAnswer ans(std::vector<std::string> params, std::string reason = "") {
    GroundedAnswer g;
    g.answer.has_error = !params.empty();
    for (const auto& p : params) {
        g.answer.reasons.push_back(reason.empty() ? "bad " + p : reason);
        g.matched.push_back({p, "v" + p.substr(1), std::stoi(p.substr(1)), "", ""});
    }
    g.answer.params = std::move(params);
    return g;
}

BackendSamples backend(std::string name, std::vector<GroundedAnswer> answers, double weight = 1.0,
                       int invalid = 0) {
    return {std::move(name), weight, std::move(answers), invalid};
}

VoteOptions ciri_options(bool ordered = false) {
    VoteOptions o;
    o.method = VoteMethod::ciri;
    o.ordered = ordered;
    return o;
}

std::vector<std::string> params_of(const ciri::Verdict& v) {
    std::vector<std::string> out;
    for (const auto& f : v.findings) out.push_back(f.parameter);
    return out;
}

}  // namespace

TEST_CASE("vote: ciri, one backend: the most frequent set wins", "[vote]") {
    auto v = ciri::vote({backend("m", {ans({"p3", "p1"}), ans({"p1", "p3"}), ans({"p2"})})},
                        ciri_options());
    CHECK(v.status == VerdictStatus::misconfigured);
    // Findings in file order, located by the file's lines.
    REQUIRE(params_of(v) == std::vector<std::string>{"p1", "p3"});
    CHECK(v.findings[0].line == 1);
    CHECK(v.findings[1].value == "v3");
    CHECK(v.findings[0].votes == Approx(2.0 / 3));
    CHECK(v.findings[0].total == Approx(1.0));
    CHECK(v.findings[0].voters == std::vector<std::string>{"m"});
    // Order matters when asked to compare as the artifact's code did: three distinct lists.
    auto ordered = ciri::vote({backend("m", {ans({"p3", "p1"}), ans({"p1", "p3"}), ans({"p2"})})},
                              ciri_options(true));
    CHECK(ordered.status == VerdictStatus::inconclusive);
    CHECK(ordered.why == "no consistent result");
}

TEST_CASE("vote: ciri, a tie of sets is no consistent result, never valid", "[vote]") {
    auto v = ciri::vote({backend("m", {ans({}), ans({"p1"})})}, ciri_options());
    CHECK(v.status == VerdictStatus::inconclusive);
    CHECK(v.why == "no consistent result");
    CHECK(v.findings.empty());
    auto valid = ciri::vote({backend("m", {ans({}), ans({}), ans({"p1"})})}, ciri_options());
    CHECK(valid.status == VerdictStatus::valid);
    CHECK(ciri::ciri_vote({ans({"p1", "p1"}).answer, ans({"p1"}).answer}) ==
          std::vector<std::string>{"p1"});
    CHECK_FALSE(ciri::ciri_vote({ans({"p1", "p1"}).answer, ans({"p1"}).answer}, true));
    CHECK_FALSE(ciri::ciri_vote({}));
}

TEST_CASE("vote: ciri, several backends combine by weight majority", "[vote]") {
    auto a = backend("a", {ans({"p1"}), ans({"p1"}), ans({"p2"})});
    auto b = backend("b", {ans({"p2"}), ans({"p2"})});
    auto c = backend("c", {ans({"p1"}), ans({})});  // a tie: abstains but counts in the total
    auto v = ciri::vote({a, b, c}, ciri_options());
    CHECK(v.status == VerdictStatus::inconclusive);  // p1 has 1 of 3, p2 has 1 of 3
    a.weight = 2;                                    // p1 has 2 of 4: a majority must be strict
    CHECK(ciri::vote({a, b, c}, ciri_options()).status == VerdictStatus::inconclusive);
    a.weight = 3;
    v = ciri::vote({a, b, c}, ciri_options());
    REQUIRE(params_of(v) == std::vector<std::string>{"p1"});
    CHECK(v.findings[0].voters == std::vector<std::string>{"a", "c"});
    CHECK(v.findings[0].votes == Approx(3 * 2.0 / 3 + 0.5));
    CHECK(v.findings[0].total == Approx(5));
    CHECK(v.counts.backends == 3);
    CHECK(v.counts.valid == 7);
}

TEST_CASE("vote: param, weighted shares against half the answering weight", "[vote]") {
    auto a = backend("a", {ans({"p1", "p2"}), ans({"p1"}), ans({"p1"}), ans({})});  // p1 .75 p2 .25
    auto b = backend("b", {ans({"p2"}), ans({"p2", "p4"})});                        // p2 1, p4 .5
    auto silent = backend("c", {}, 5.0, 3);  // no valid answer: not in the threshold
    auto v = ciri::vote({a, b, silent});
    CHECK(v.status == VerdictStatus::misconfigured);
    // Threshold 1 (half of a+b): p1 .75 no, p2 1.25 yes, p4 .5 no.
    REQUIRE(params_of(v) == std::vector<std::string>{"p2"});
    CHECK(v.findings[0].votes == Approx(1.25));
    CHECK(v.findings[0].total == Approx(2));
    CHECK(v.findings[0].voters == std::vector<std::string>{"a", "b"});
    CHECK(v.counts.backends_answered == 2);
    CHECK(v.counts.invalid == 3);
    VoteOptions low;
    low.threshold = 0.6;
    CHECK(params_of(ciri::vote({a, b}, low)) == std::vector<std::string>{"p1", "p2"});
    // Exactly the threshold is not enough: it must be exceeded.
    CHECK(ciri::vote({backend("a", {ans({"p1"}), ans({})})}).status == VerdictStatus::valid);
    b.weight = 0.4;  // threshold .7: p1 .75 yes, p2 .25 + .4 no
    CHECK(params_of(ciri::vote({a, b})) == std::vector<std::string>{"p1"});
}

TEST_CASE("vote: the reason comes from the agreeing answers", "[vote]") {
    auto v = ciri::vote(
        {backend("a", {ans({"p1"}, "port out of range"), ans({"p1"}, "port is out of range"),
                       ans({"p2"}, "unrelated text")})});
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].reason.find("range") != std::string::npos);
}

TEST_CASE("vote: quorum gives inconclusive, never valid", "[vote]") {
    VoteOptions o;
    o.min_valid = 3;
    auto v = ciri::vote({backend("a", {ans({}), ans({})}, 1.0, 4)}, o);
    CHECK(v.status == VerdictStatus::inconclusive);
    CHECK(v.why == "no quorum: 2 valid answers, 3 needed");
    CHECK(v.counts.invalid == 4);
    CHECK(ciri::vote(std::vector<BackendSamples>{}).status == VerdictStatus::inconclusive);
    CHECK(ciri::vote({backend("a", {}, 1.0, 3)}, ciri_options()).status ==
          VerdictStatus::inconclusive);
    o.min_valid = 2;
    CHECK(ciri::vote({backend("a", {ans({}), ans({})})}, o).status == VerdictStatus::valid);
    CHECK(std::string(ciri::to_string(VerdictStatus::valid)) == "valid");
}

TEST_CASE("vote: early stop, ciri", "[vote]") {
    auto o = ciri_options();
    // 2 of {p1} and nothing else: one more sample cannot take the lead, two could tie it.
    CHECK(ciri::can_stop_early({ans({"p1"}), ans({"p1"})}, 1, o));
    CHECK_FALSE(ciri::can_stop_early({ans({"p1"}), ans({"p1"})}, 2, o));
    CHECK_FALSE(ciri::can_stop_early({ans({"p1"}), ans({"p2"})}, 1, o));
    CHECK(ciri::can_stop_early({ans({"p1"}), ans({"p2"})}, 0, o));
    CHECK_FALSE(ciri::can_stop_early({}, 1, o));
    CHECK(ciri::can_stop_early({ans({"p1"}), ans({"p1"}), ans({"p1"}), ans({"p2"})}, 1, o));
}

TEST_CASE("vote: early stop, param", "[vote]") {
    VoteOptions o;
    // 2 of 2 report p1: after 1 more the share is >= 2/3 whatever it says, and a new parameter
    // can reach at most 1/3.
    CHECK(ciri::can_stop_early({ans({"p1"}), ans({"p1"})}, 1, o));
    // Two more could make p1 2 of 4, which is not a majority.
    CHECK_FALSE(ciri::can_stop_early({ans({"p1"}), ans({"p1"})}, 2, o));
    CHECK_FALSE(ciri::can_stop_early({ans({"p1"}), ans({})}, 1, o));
    CHECK(ciri::can_stop_early({ans({"p1"}), ans({"p1"}), ans({"p1"}), ans({})}, 1, o));
    CHECK_FALSE(ciri::can_stop_early({ans({})}, 2, o));
    // Brute force: the claim holds for every continuation of a small case.
    for (int k = 0; k <= 4; ++k)
        for (int r = 0; r <= 4; ++r) {
            std::vector<GroundedAnswer> so_far;
            for (int i = 0; i < 4; ++i)
                so_far.push_back(
                    ans(i < k ? std::vector<std::string>{"p1"} : std::vector<std::string>{}));
            if (!ciri::can_stop_early(so_far, r, o)) continue;
            bool now = 2 * k > 4;
            for (int valid = 0; valid <= r; ++valid)
                for (int yes = 0; yes <= valid; ++yes) {
                    INFO("k=" << k << " r=" << r << " valid=" << valid << " yes=" << yes);
                    CHECK((2 * (k + yes) > 4 + valid) == now);
                    CHECK(2 * valid <= 4 + valid);  // a new parameter stays a minority
                }
        }
}

TEST_CASE("vote: replaying the artifact's recorded answers through the ciri vote",
          "[vote][artifact]") {
    auto root = ciri::test::shared_dir();
    if (!root) return;
    // What reproduces Ciri (see the report): the raw answers are checked with the rules its code
    // enforced (CheckRules::ciri_artifact), nothing is filtered against the file (recorded votes
    // count parameters the file does not have), and lists are compared in order.
    auto replay_vote = [](const std::vector<std::string>& round, bool ordered,
                          const ciri::CheckRules& rules) {
        BackendSamples b{"model", 1.0, {}, 0};
        for (const auto& raw : round) {
            auto a = ciri::extract_answer(raw);
            if (a && check_answer(*a, rules))
                b.answers.push_back(ciri::ungrounded(*a));
            else
                ++b.invalid;
        }
        auto o = ciri_options(ordered);
        return ciri::vote({b}, o);
    };
    auto describe = [](const ciri::Verdict& v) {
        if (v.status == VerdictStatus::inconclusive) return std::string("NO CONSISTENT RESULT");
        if (v.status == VerdictStatus::valid) return std::string("CORRECT");
        std::string s;
        for (const auto& f : v.findings) s += (s.empty() ? "" : "\t") + f.parameter;
        return s;
    };
    auto recorded = [](const ciri::CiriResult& r) {
        if (r.outcome == ciri::CiriOutcome::correct) return std::string("CORRECT");
        if (r.outcome == ciri::CiriOutcome::no_consistent_result)
            return std::string("NO CONSISTENT RESULT");
        std::string s;
        for (const auto& p : r.params) s += (s.empty() ? "" : "\t") + p;
        return s;
    };
    auto as_set = [](std::string s) {
        std::vector<std::string> parts;
        std::stringstream in(s);
        for (std::string p; std::getline(in, p, '\t');) parts.push_back(p);
        std::sort(parts.begin(), parts.end());
        parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
        return parts;
    };

    int total = 0, agree = 0, agree_sets = 0, agree_strict = 0, ties = 0, ties_sets = 0,
        tie_rounds = 0;
    std::vector<std::string> disagreements;
    for (const auto& path : ciri::ciri_result_files(*root)) {
        auto r = ciri::read_ciri_result(path);
        REQUIRE(r);
        // Every round before the deciding one was re-queried because it had no consistent result.
        for (size_t i = 0; i + 1 < r->rounds.size(); ++i) {
            if (r->rounds[i].size() != 3) continue;
            ++tie_rounds;
            ties += describe(replay_vote(r->rounds[i], true, ciri::CheckRules::ciri_artifact())) ==
                    "NO CONSISTENT RESULT";
            ties_sets +=
                describe(replay_vote(r->rounds[i], false, ciri::CheckRules::ciri_artifact())) ==
                "NO CONSISTENT RESULT";
        }
        if (r->deciding_round().size() != 3) continue;
        ++total;
        std::string want = recorded(*r);
        std::string ours =
            describe(replay_vote(r->deciding_round(), true, ciri::CheckRules::ciri_artifact()));
        if (ours == want)
            ++agree;
        else
            disagreements.push_back(path.lexically_relative(*root).string() + ": ours [" + ours +
                                    "] recorded [" + want + "]");
        agree_sets +=
            as_set(describe(replay_vote(r->deciding_round(), false,
                                        ciri::CheckRules::ciri_artifact()))) == as_set(want);
        agree_strict += describe(replay_vote(r->deciding_round(), true, {})) == want;
    }
    std::string list;
    for (const auto& d : disagreements) list += "\n  " + d;
    WARN("ciri vote replay: "
         << agree << "/" << total
         << " deciding rounds of three answers reproduce the recorded Final result"
         << " (as sets instead of ordered lists: " << agree_sets << "/" << total
         << "; with the paper's strict checks: " << agree_strict << "/" << total
         << "); earlier rounds replayed as no consistent result: " << ties << "/" << tie_rounds
         << " (as sets: " << ties_sets << "/" << tie_rounds << "); disagreements:" << list);
    CHECK(total == 4905);
    CHECK(agree >= total * 99 / 100);
    CHECK(agree_sets >= total * 99 / 100);
    CHECK(ties == tie_rounds);
}

namespace {

ciri::VoterOpinions voter(std::string name, std::map<std::string, ciri::Opinion> params, double weight = 1.0) {
    ciri::VoterOpinions v;
    v.name = std::move(name);
    v.weight = weight;
    v.answered = true;
    v.valid = 1;
    v.params = std::move(params);
    return v;
}

ciri::Opinion wrong(int line, std::string category = "", double share = 1.0) {
    return {ciri::Stance::wrong, share, std::move(category), "bad", line, "v"};
}
ciri::Opinion fine(int line) { return {ciri::Stance::ok, 0.0, "", "", line, "v"}; }

}  // namespace

TEST_CASE("vote: a voter that abstains does not count against a parameter", "[vote]") {
    // One LLM names p1; the rules know nothing of p1 (abstain) and vouch for p2.
    auto llm = voter("llm", {{"p1", wrong(1)}, {"p2", fine(2)}});
    auto rules = voter("rules", {{"p2", fine(2)}});
    auto v = ciri::vote(std::vector<ciri::VoterOpinions>{llm, rules});
    REQUIRE(params_of(v) == std::vector<std::string>{"p1"});
    CHECK(v.findings[0].total == Approx(1));  // weighed among the voters that did not abstain
    CHECK(v.findings[0].voters == std::vector<std::string>{"llm"});
    // Where both have an opinion, a 1-1 split is no majority.
    rules.params["p1"] = fine(1);
    CHECK(ciri::vote(std::vector<ciri::VoterOpinions>{llm, rules}).status == VerdictStatus::valid);
}

TEST_CASE("vote: a voter that did not answer is in neither the total nor the findings", "[vote]") {
    auto llm = voter("llm", {{"p1", wrong(1)}});
    ciri::VoterOpinions down;
    down.name = "down";
    auto v = ciri::vote(std::vector<ciri::VoterOpinions>{llm, down});
    REQUIRE(params_of(v) == std::vector<std::string>{"p1"});
    CHECK(v.findings[0].total == Approx(1));
    CHECK(v.counts.backends == 2);
    CHECK(v.counts.backends_answered == 1);
}

TEST_CASE("vote: ciri over opinions votes on each voter's wrong set", "[vote]") {
    auto a = voter("a", {{"p1", wrong(1)}, {"p2", fine(2)}});
    auto b = voter("rules", {{"p1", wrong(1)}});
    auto v = ciri::vote(std::vector<ciri::VoterOpinions>{a, b}, ciri_options());
    REQUIRE(params_of(v) == std::vector<std::string>{"p1"});
    CHECK(v.findings[0].voters == std::vector<std::string>{"a", "rules"});
}

TEST_CASE("vote: log-odds adds each voter's measured evidence to the prior", "[vote]") {
    VoteOptions o;
    o.method = VoteMethod::log_odds;
    o.weights.prior = 0.1;
    o.weights.threshold = 0;
    // A precise voter (rarely wrong about fine parameters) and a noisy one.
    o.weights.voters["precise"] = {0.5, 0.01, {}, 0, 0};
    o.weights.voters["noisy"] = {0.6, 0.4, {}, 0, 0};
    auto precise = voter("openai/precise", {{"p1", wrong(1)}, {"p2", fine(2)}});
    auto noisy = voter("noisy", {{"p1", fine(1)}, {"p2", wrong(2)}});
    // p1: logit(.1) + ln(.5/.01) + ln(.4/.6) = -2.197 + 3.912 - 0.405 > 0; p2: far below.
    auto v = ciri::vote(std::vector<ciri::VoterOpinions>{precise, noisy}, o);
    REQUIRE(params_of(v) == std::vector<std::string>{"p1"});
    // A category with rates of its own replaces the voter's rates for a wrong of that category.
    o.weights.voters["precise"].categories["Range"] = {0.05, 0.04};
    precise.params["p1"] = wrong(1, "Range");
    CHECK(ciri::vote(std::vector<ciri::VoterOpinions>{precise, noisy}, o).status == VerdictStatus::valid);
    // An explicit threshold overrides the weights' own.
    o.threshold = -10;
    CHECK(params_of(ciri::vote(std::vector<ciri::VoterOpinions>{precise, noisy}, o)) ==
          std::vector<std::string>{"p1", "p2"});
    CHECK(ciri::parse_vote_method("log-odds") == VoteMethod::log_odds);
    CHECK_FALSE(ciri::parse_vote_method("bayes"));
}

TEST_CASE("vote: under log-odds a lone voter decides by its own majority", "[vote]") {
    VoteOptions o;
    o.method = VoteMethod::log_odds;
    // Weights fitted for a larger vote: one LLM's "wrong" cannot reach this threshold alone.
    o.weights.prior = 0.07;
    o.weights.threshold = -0.83;
    o.weights.voters["llm"] = {0.6, 0.06, {}, 0, 0, 0.25};
    auto llm = voter("llm", {{"p1", wrong(1)}, {"p2", fine(2)}});
    ciri::VoterOpinions down;
    down.name = "down";
    // Alone (a voter that did not answer does not count), what it names is reported.
    CHECK(params_of(ciri::vote(std::vector<ciri::VoterOpinions>{llm, down}, o)) == std::vector<std::string>{"p1"});
    // Beside a second voter that answered, the measured evidence decides again.
    auto other = voter("other", {{"p2", fine(2)}});
    CHECK(ciri::vote(std::vector<ciri::VoterOpinions>{llm, other}, o).status == VerdictStatus::valid);
    // An explicit threshold is the user's word, alone or not.
    o.threshold = 5;
    CHECK(ciri::vote(std::vector<ciri::VoterOpinions>{llm}, o).status == VerdictStatus::valid);
}
