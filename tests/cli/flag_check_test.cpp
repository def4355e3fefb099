#include "ciri/cli/flag_check.hpp"

#include <catch2/catch.hpp>

#include "tests/cli/cli_run.hpp"

using namespace ciri;

TEST_CASE("flag check: the nearest accepted name for a slip, none for a stranger", "[cli][flags]") {
    const std::vector<std::string> verdicts{"misconfigured", "inconclusive", "error"};
    CHECK(closest_name("misconfig", verdicts) == "misconfigured");
    CHECK(closest_name("eror", verdicts) == "error");
    CHECK(closest_name("DeepSpeed", system_names()) == "deepspeed");
    CHECK(closest_name("nosuch", system_names()) == "");
    CHECK(not_one_of("color mode", "sometimes", {"auto", "always", "never"}) ==
          "unknown color mode 'sometimes' (accepted: auto, always, never)");
    CHECK(not_one_of("verdict", "misconfig", verdicts).ends_with("; did you mean 'misconfigured'?"));
}

TEST_CASE("flag check: validate refuses unknown values with exit 2, the list and a suggestion", "[cli][flags]") {
    struct Case {
        std::vector<std::string> args;
        std::string expected;
    };
    const Case cases[] = {
        {{"--fail-on", "misconfig"}, "did you mean 'misconfigured'?"},
        {{"--fail-on", "error,inconclusiv"}, "did you mean 'inconclusive'?"},
        {{"--system", "DeepSpeed"}, "did you mean 'deepspeed'?"},
        {{"--system", "nosuch"}, "unknown system 'nosuch' (accepted: hdfs,"},
        {{"--shot-selection", "bogus"}, "accepted: random"},
        {{"--color", "sometimes"}, "accepted: auto, always, never"},
        {{"--vote", "majority"}, "accepted: param, ciri"},
        {{"-f", "jsn"}, "did you mean 'json'?"},
        {{"-f", "sarf=out.sarif"}, "did you mean 'sarif'?"},
        {{"--input-format", "yml"}, "did you mean 'yaml'?"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"validate", "--no-config"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.push_back("/nonexistent.conf");
        auto r = test::run_ciri(args);
        INFO(c.args[0] << " " << c.args[1] << ": " << r.err);
        CHECK(r.code == 2);
        CHECK(r.err.find(c.expected) != std::string::npos);
    }
}
