#include "aggregator/ciri_result.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "tests/support/paths.hpp"

using ciri::CiriOutcome;
using ciri::parse_ciri_result;

TEST_CASE("ciri_result: shots, rounds and a multi-parameter result", "[ciri_result]") {
    auto r = parse_ciri_result(
        "Wrong shot number:\n[13, 9, 15]\n\nCorrect shot number:\n[6]\n\nRaw json:\n\n"
        "{'hasError': False, 'errParameter': [], 'reason': []}\n\n"
        "{'hasError': True, 'errParameter': ['a'], 'reason': ['x']}\n\n"
        "Raw json:\n\n{'hasError': True, 'errParameter': ['a: b', 'a'], 'reason': ['r1', 'r2']}\n\n"
        "Final result:\n\n"
        "There are 2 misconfiguration parameters in the input: a: b\ta\n"
        "[Ciri] Reason for a: b: why 1\n"
        "[Ciri] Reason for a: \n");
    REQUIRE(r);
    CHECK(r->misconfig_shots == std::vector<int>{13, 9, 15});
    CHECK(r->valid_shots == std::vector<int>{6});
    REQUIRE(r->rounds.size() == 2);
    CHECK(r->rounds[0].size() == 2);
    CHECK(r->deciding_round().size() == 1);
    CHECK(r->outcome == CiriOutcome::misconfigured);
    CHECK(r->params == std::vector<std::string>{"a: b", "a"});
    CHECK(r->reasons == std::vector<std::string>{"why 1", ""});
}

TEST_CASE("ciri_result: correct, no consistent result, zero-shot", "[ciri_result]") {
    auto c = parse_ciri_result(
        "Raw json:\n\n{'hasError': False}\n\nFinal result:\n\nThe CONFIGURATION FILE IS CORRECT\n");
    REQUIRE(c);
    CHECK(c->outcome == CiriOutcome::correct);
    CHECK(c->misconfig_shots.empty());
    CHECK(c->params.empty());
    auto n = parse_ciri_result("Raw json:\n\nFinal result:\nNO CONSISTENT RESULT\n");
    REQUIRE(n);
    CHECK(n->outcome == CiriOutcome::no_consistent_result);
    CHECK(n->deciding_round().empty());
}

TEST_CASE("ciri_result: malformed records are errors with lines", "[ciri_result]") {
    auto none = parse_ciri_result("Raw json:\n{}\n");
    REQUIRE_FALSE(none);
    CHECK(none.error().message == "no \"Final result:\" section");
    auto count = parse_ciri_result(
        "Final result:\nThere are 2 misconfiguration parameters in the input: a\n");
    REQUIRE_FALSE(count);
    CHECK(count.error().message == "final result counts 2 parameters but lists 1");
    CHECK(count.error().line == 2);
    auto shots =
        parse_ciri_result("Wrong shot number:\n[1, x]\nFinal result:\nNO CONSISTENT RESULT\n");
    REQUIRE_FALSE(shots);
    CHECK(shots.error().line == 2);
    auto reason = parse_ciri_result(
        "Final result:\nThere are 1 misconfiguration parameters in the input: a\n[Ciri] Reason for "
        "b: x\n");
    REQUIRE_FALSE(reason);
    CHECK(reason.error().message == "reason for a parameter that was not reported");
    CHECK(!parse_ciri_result("Final result:\nsomething else\n"));
}

TEST_CASE("ciri_result: ids from paths", "[ciri_result]") {
    auto id = ciri::ciri_result_id(
        "x/results/synthesize_config/hdfs/gpt-4-0125-preview/default/erroneous/12");
    REQUIRE(id);
    CHECK(id->system == "hdfs");
    CHECK(id->model == "gpt-4-0125-preview");
    CHECK(id->mode == "default");
    CHECK(id->kind == "erroneous");
    CHECK(id->number == 12);
    CHECK(id->dataset_file("/a") ==
          std::filesystem::path("/a/datasets/synthesize_config/hdfs/erroneous/12"));
    CHECK(!ciri::ciri_result_id("hdfs/gpt-4/default/other/12"));
    CHECK(!ciri::ciri_result_id("default/erroneous/12"));
}

TEST_CASE("ciri_result: every file of the artifact", "[ciri_result][artifact]") {
    auto root = ciri::test::shared_dir();
    if (!root) return;
    auto files = ciri::ciri_result_files(*root);
    std::map<CiriOutcome, int> outcomes;
    int default_mode = 0, with_shots = 0, deciding_three = 0, retried = 0;
    for (const auto& path : files) {
        auto r = ciri::read_ciri_result(path);
        INFO(path.string());
        REQUIRE(r);
        auto id = ciri::ciri_result_id(path);
        REQUIRE(id);
        CHECK(std::filesystem::is_regular_file(id->dataset_file(*root)));
        ++outcomes[r->outcome];
        default_mode += id->mode == "default";
        with_shots += r->misconfig_shots.size() == 3 && r->valid_shots.size() == 1;
        deciding_three += r->deciding_round().size() == 3;
        retried += r->rounds.size() > 1;
        CHECK(r->reasons.size() == r->params.size());
        CHECK((r->outcome == CiriOutcome::misconfigured) == !r->params.empty());
    }
    WARN("artifact results: " << files.size() << " files, " << outcomes[CiriOutcome::misconfigured]
                              << " misconfigured, " << outcomes[CiriOutcome::correct]
                              << " correct, " << outcomes[CiriOutcome::no_consistent_result]
                              << " no consistent result; " << deciding_three
                              << " decided on three answers; " << retried << " re-queried");
    CHECK(files.size() == 8992);
    // Default mode is 1 valid + 3 misconfig shots; zero_shot records no shots.
    CHECK(with_shots == default_mode);
    CHECK(deciding_three == 4905);
}
