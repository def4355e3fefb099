#include "eval/calibrate.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ciri/weights_file.hpp"
#include "eval/errata.hpp"
#include "eval/import_ciri.hpp"
#include "eval/metrics.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

VotedParam param(std::string group, bool mis, std::vector<std::pair<std::string, Stance>> says) {
    VotedParam p{std::move(group), mis, {}};
    for (auto& [voter, stance] : says) p.opinions.emplace_back(voter, Opinion{stance, stance == Stance::wrong ? 1.0 : 0.0});
    return p;
}

// What every voter (the 8 recorded models and the rules) said of every parameter of the
// artifact, with its labels corrected by `errata` when one is given.
std::vector<VotedParam> artifact_params(const fs::path& root, const fs::path& dir, const fs::path& errata = {}) {
    fs::create_directories(dir);
    REQUIRE(import_ciri_results(root, dir / "answers.jsonl"));
    auto ds = read_dataset(root);
    REQUIRE(ds);
    if (!errata.empty()) {
        auto corrected = correct_labels(*ds, errata);
        REQUIRE(corrected);
        CHECK(corrected->starts_with("13 labels corrected"));
    }
    RecordedOptions o;
    o.models = {"recorded/*@" + (dir / "answers.jsonl").string()};
    o.rules = true;
    auto pred = RecordedPredictor::create(o);
    REQUIRE(pred);
    return voted_params(ds->items, **pred);
}

}  // namespace

TEST_CASE("score_params: macro precision, recall and F1 over groups", "[calibrate]") {
    std::vector<VotedParam> ps = {param("a", true, {{"m", Stance::wrong}}), param("a", false, {{"m", Stance::wrong}}),
                                  param("b", true, {{"m", Stance::ok}}), param("b", true, {{"m", Stance::wrong}})};
    auto s = score_params(ps, [](const VotedParam& p) { return p.opinions.at(0).second.stance == Stance::wrong; });
    CHECK(s.f1_by_group.at("a") == Approx(2.0 / 3));  // tp 1, fp 1
    CHECK(s.f1_by_group.at("b") == Approx(2.0 / 3));  // tp 1, fn 1
    CHECK(s.precision == Approx(0.75));
    CHECK(s.recall == Approx(0.75));
}

TEST_CASE("pool_llms and only_voters reshape the opinions", "[calibrate]") {
    std::vector<VotedParam> ps = {param("a", true, {{"m1", Stance::wrong}, {"m2", Stance::ok}, {"rules", Stance::ok}})};
    auto pooled = pool_llms(ps);
    REQUIRE(pooled.size() == 2);  // one copy per LLM
    CHECK(pooled[0].opinions.size() == 2);
    CHECK(pooled[0].opinions[0].first == "llm");
    CHECK(pooled[0].opinions[1].first == "rules");
    auto only = only_voters(ps, {"m2"});
    REQUIRE(only[0].opinions.size() == 1);
    CHECK(only[0].opinions[0].first == "m2");
}

TEST_CASE("voted_params_jsonl: one line per parameter, with the truth and every opinion", "[calibrate]") {
    VotedParam labeled = param("hdfs", true, {{"gpt-4", Stance::wrong}, {"rules", Stance::ok}});
    labeled.item = "hdfs/erroneous/3", labeled.key = "dfs.replication";
    labeled.opinions[0].second.category = "Range", labeled.opinions[0].second.value = "0";
    labeled.opinions[0].second.reason = "a replication of 0 keeps no copy";
    VotedParam unlabeled{"hdfs", std::nullopt, {}, "hdfs/x", "dfs.blocksize"};
    std::string text = voted_params_jsonl({labeled, unlabeled});
    auto nl = text.find('\n');
    REQUIRE(nl != std::string::npos);
    auto first = nlohmann::json::parse(text.substr(0, nl));
    CHECK(first["item"] == "hdfs/erroneous/3");
    CHECK(first["key"] == "dfs.replication");
    CHECK(first["misconfigured"] == true);
    CHECK(first["opinions"]["gpt-4"]["stance"] == "wrong");
    CHECK(first["opinions"]["gpt-4"]["category"] == "Range");
    CHECK(first["opinions"]["gpt-4"]["value"] == "0");
    CHECK(first["opinions"]["gpt-4"]["reason"] == "a replication of 0 keeps no copy");
    CHECK(first["opinions"]["rules"]["stance"] == "ok");
    auto second = nlohmann::json::parse(text.substr(nl + 1));
    CHECK(second["misconfigured"].is_null());
    CHECK(second["opinions"].empty());
    CHECK(text.back() == '\n');
}

// The measured table of bench/vote.sh, held as a regression test. The per-model target is not
// met (see README, "The vote"); this asserts what was measured, never the scored system's tuning.
TEST_CASE("the vote on the artifact: calibrated leave-one-system-out", "[calibrate][artifact]") {
    auto root = test::shared_dir();
    if (!root) return;
    fs::path dir = fs::temp_directory_path() / "ciri-calibrate-test";
    auto params = artifact_params(*root, dir);
    REQUIRE(params.size() >= 562 * 8);

    auto rules_alone = score_params(params, [](const VotedParam& p) {
        for (const auto& [v, o] : p.opinions)
            if (v == "rules") return o.stance == Stance::wrong;
        return false;
    });
    ParamScores all = leave_one_group_out(params);
    INFO("rules alone " << rules_alone.f1 << ", rules + 8 models calibrated leave-one-system-out " << all.f1);
    // Against the labels as they are: rules 0.777, 13 of whose PostgreSQL findings are values
    // PostgreSQL refuses in files the artifact labels fine (README); the LLMs' evidence, scaled
    // for their shared mistakes (Reliability::scale), lifts the vote above them (0.784).
    CHECK(rules_alone.f1 >= 0.77);
    CHECK(all.f1 >= rules_alone.f1);
    for (const auto& model : {"gpt-4-0125-preview", "claude-3-sonnet-20240229", "CodeLlama-7b-Instruct-hf"}) {
        auto pair = only_voters(params, {"rules", model});
        auto alone = score_params(pair, [&](const VotedParam& p) {
            for (const auto& [v, o] : p.opinions)
                if (v == model) return o.stance == Stance::wrong && o.share > 0.5;
            return false;
        });
        ParamScores both = leave_one_group_out(pair);
        INFO(model << ": alone " << alone.f1 << ", rules + it " << both.f1);
        // Never far below its best member (the issue asks for above both: not met, see README).
        CHECK(both.f1 >= std::max(alone.f1, rules_alone.f1) - 0.02);
    }
    fs::remove_all(dir);
}

// With the labels the real program agrees with (datasets/errata), the issue's target for all 8
// models holds leave-one-system-out, and the shipped weights never end below the rules alone,
// with the 8 models or with any one of them (measured in-sample: they were fitted on these labels).
TEST_CASE("the vote on the artifact: program-corrected labels and the shipped weights", "[calibrate][artifact]") {
    auto root = test::shared_dir();
    if (!root) return;
    fs::path dir = fs::temp_directory_path() / "ciri-calibrate-errata-test";
    auto params = artifact_params(*root, dir, test::source_dir() / "datasets" / "errata" / "ciri-icse25.tsv");
    auto rules_alone = score_params(only_voters(params, {"rules"}), [](const VotedParam& p) {
        return !p.opinions.empty() && p.opinions[0].second.stance == Stance::wrong;
    });
    CHECK(rules_alone.f1 >= 0.81);
    ParamScores all = leave_one_group_out(params);
    INFO("rules alone " << rules_alone.f1 << ", rules + 8 models leave-one-system-out " << all.f1);
    CHECK(all.f1 >= 0.80);

    auto shipped = default_weights();
    REQUIRE(shipped);
    auto vote = [&](const std::vector<VotedParam>& ps) {
        return score_params(ps, [&](const VotedParam& p) { return reported(p, *shipped, shipped->threshold); });
    };
    CHECK(vote(params).f1 > rules_alone.f1);
    for (const auto& model : {"gpt-4-0125-preview", "claude-3-opus-20240229", "CodeLlama-7b-Instruct-hf"}) {
        INFO(model);
        CHECK(vote(only_voters(params, {"rules", model})).f1 >= rules_alone.f1 - 1e-9);
    }
    fs::remove_all(dir);
}
