#include "eval/live_predictor.hpp"

#include <catch2/catch.hpp>

#include "eval/import_ciri.hpp"
#include "eval/results.hpp"
#include "eval/runner.hpp"
#include "tests/backends/llm_test_env.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
using ciri::test::EmulatorProcess;
using ciri::test::TempDir;

// The live pipeline, asking the emulator that replays a recorded model, must score exactly
// as the recorded predictor that reads the same model's answers from answers.jsonl.
TEST_CASE("a live run against the emulator in recorded mode scores as the recorded backend",
          "[eval][live][emulator][artifact]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    const std::string model = "gpt-4-0125-preview";
    TempDir dir("live-eval");
    auto answers = dir.path / "answers.jsonl";
    REQUIRE(import_ciri_results(*shared / "results", answers));
    auto dataset = read_dataset(*shared, {.systems = {"django"}});
    REQUIRE(dataset);
    REQUIRE(dataset->items.size() >= 30);

    RecordedOptions ro;
    ro.models = {"recorded/" + model + "@" + answers.string()};
    auto recorded = RecordedPredictor::create(ro);
    REQUIRE(recorded);
    RunOptions run_a;
    run_a.out_dir = dir.path / "recorded";
    REQUIRE(run_eval(dataset->items, **recorded, run_a));

    EmulatorProcess emu({"--recorded", (*shared / "results" / "synthesize_config").string(), "--recorded-model", model});
    ValidateOptions vo;
    vo.models = {{ModelSpec{"openai", model, emu.base_url() + "/v1"}, 1}};
    vo.rules = false;                          // the recorded setup has no rules voter
    vo.check = CheckRules::ciri_artifact();    // the checks the recorded predictor applies
    vo.redact = false;  // the emulator finds each file by its verbatim text
    LlmClientOptions co = ciri::test::test_options();
    LivePredictor live(vo, co);
    RunOptions run_b;
    run_b.out_dir = dir.path / "live";
    auto summary = run_eval(dataset->items, live, run_b);
    REQUIRE(summary);
    CHECK(summary->errors == 0);
    CHECK(emu.stats()["requests"].get<long>() == static_cast<long>(dataset->items.size()));

    auto a = read_results(run_a.out_dir / "results.json");
    auto b = read_results(run_b.out_dir / "results.json");
    REQUIRE(a);
    REQUIRE(b);
    for (const char* level : {"file", "param"})
        for (const char* m : {"precision", "recall", "f1", "accuracy"}) {
            INFO(level << " " << m);
            CHECK((*b)["systems"]["django"][level][m].get<double>() ==
                  Approx((*a)["systems"]["django"][level][m].get<double>()).margin(1e-9));
        }
    // Answers and the parameters they named are counted for real, as the recorded run counts them.
    CHECK((*b)["answers"]["total"].get<long>() >= static_cast<long>(dataset->items.size()));
    CHECK((*b)["answers"]["reported"].get<long>() > 0);
    CHECK((*b)["answers"]["hallucinated"] == (*a)["answers"]["hallucinated"]);
    // The live run also knows what it cost: it made real requests.
    CHECK((*b).dump().find("prompt_tokens") != std::string::npos);
}
