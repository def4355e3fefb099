#include "tests/emulator/recorded.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/emulator/test_http.hpp"
#include "tests/support/paths.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("recorded: raw answers of every block, verbatim and in order", "[recorded]") {
    std::string result =
        "Wrong shot number:\n[1, 2, 3]\n\nCorrect shot number:\n[4]\n\n"
        "Raw json:\n\n{'hasError': True, 'errParameter': ['a'], 'reason': ['x']}\n\n"
        "{'hasError': False, 'errParameter': [], 'reason': []}\n\n"
        "Raw json:\n\n{'hasError': True, 'errParameter': ['b'], 'reason': [\"it's b\"]}\n\n"
        "Final result:\n\nThere are 1 misconfiguration parameters in the input: a\n"
        "[Ciri] Reason for a: x\n";
    CHECK(recorded_answers(result) ==
          std::vector<std::string>{
              "{'hasError': True, 'errParameter': ['a'], 'reason': ['x']}",
              "{'hasError': False, 'errParameter': [], 'reason': []}",
              "{'hasError': True, 'errParameter': ['b'], 'reason': [\"it's b\"]}"});
}

TEST_CASE("recorded: a file with only a Final result replays it as a dict", "[recorded]") {
    CHECK(recorded_answers("Final result:\n\nThe CONFIGURATION FILE IS CORRECT\n") ==
          std::vector<std::string>{"{'hasError': False, 'errParameter': [], 'reason': []}"});
    std::string two =
        "Raw json:\n\nFinal result:\n\nThere are 2 misconfiguration parameters in the input: "
        "p.one\tp.two\n[Ciri] Reason for p.one: 'p.one' is bad\n[Ciri] Reason for p.two: too big\n";
    CHECK(recorded_answers(two) ==
          std::vector<std::string>{"{'hasError': True, 'errParameter': ['p.one', 'p.two'], "
                                   "'reason': [\"'p.one' is bad\", 'too big']}"});
    CHECK(recorded_answers("Wrong shot number:\n[1]\n").empty());
}

TEST_CASE("recorded: python_repr quotes like Python", "[recorded]") {
    CHECK(python_repr("abc") == "'abc'");
    CHECK(python_repr("it's") == "\"it's\"");
    CHECK(python_repr("both ' and \"") == "'both \\' and \"'");
    CHECK(python_repr("a\\b\nc") == "'a\\\\b\\nc'");
}

TEST_CASE("recorded: replays gpt-4's answer for the dataset file in the prompt", "[recorded]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    auto results = *shared / "results" / "synthesize_config";
    std::string file =
        slurp(*shared / "datasets" / "synthesize_config" / "hdfs" / "erroneous" / "1");
    std::string expected = recorded_answers(slurp(results / "hdfs" / "gpt-4-0125-preview" /
                                                  "default" / "erroneous" / "1"))
                               .at(0);
    REQUIRE(
        expected.starts_with("{'hasError': True, 'errParameter': ['dfs.default.chunk.view.size']"));

    EmulatorProcess emulator(
        {"--recorded", results.string(), "--recorded-model", "gpt-4-0125-preview"});
    std::string prompt =
        "Here are some examples...\n```\n" + file + "```\nIs there a misconfiguration?";
    auto res = post(emulator, "/v1/chat/completions", openai_request(prompt, 2));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(openai_content(res, 0) == expected);
    CHECK(openai_content(res, 1) == expected);  // one recorded answer: cycling repeats it

    auto anthropic = post(emulator, "/v1/messages", anthropic_request(prompt), anthropic_headers());
    CHECK(json::parse(anthropic->body)["content"][0]["text"] == expected);

    SECTION("a prompt holding no dataset file gets the default answer") {
        auto other = post(emulator, "/v1/chat/completions", openai_request("no config here"));
        CHECK(openai_content(other).starts_with("```json\n{\"hasError\": false"));
    }
}

TEST_CASE("recorded: several raw answers cycle and /reset rewinds them", "[recorded]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    auto results = *shared / "results" / "synthesize_config";
    const std::string model = "CodeLlama-34b-Instruct-hf";
    std::vector<std::string> expected =
        recorded_answers(slurp(results / "hbase" / model / "default" / "erroneous" / "27"));
    REQUIRE(expected.size() == 6);
    std::string file =
        slurp(*shared / "datasets" / "synthesize_config" / "hbase" / "erroneous" / "27");

    RecordedAnswers answers(results, model, "default", *shared / "datasets" / "synthesize_config");
    auto found = answers.find_file("prefix\n" + file + "\nquestion");
    REQUIRE(found);
    CHECK(answers.name(*found) == "hbase/erroneous/27");
    CHECK(!answers.find_file(file.substr(0, file.size() / 2)));

    EmulatorProcess emulator({"--recorded", results.string(), "--recorded-model", model});
    auto first = post(emulator, "/v1/chat/completions", openai_request(file, 4));
    for (int i = 0; i < 4; ++i) CHECK(openai_content(first, i) == expected[i]);
    auto second = post(emulator, "/v1/chat/completions", openai_request(file, 3));
    CHECK(openai_content(second, 0) == expected[4]);
    CHECK(openai_content(second, 1) == expected[5]);
    CHECK(openai_content(second, 2) == expected[0]);
    emulator.reset();
    CHECK(openai_content(post(emulator, "/v1/chat/completions", openai_request(file))) ==
          expected[0]);
}

TEST_CASE("recorded: an unknown model stops the emulator from starting", "[recorded]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    auto results = *shared / "results" / "synthesize_config";
    CHECK_THROWS_AS(RecordedAnswers(results, "no-such-model", "default",
                                    *shared / "datasets" / "synthesize_config"),
                    std::runtime_error);
    CHECK_THROWS_WITH(EmulatorProcess({"--recorded", results.string(), "--recorded-model", "nope"}),
                      Catch::Contains("exited before listening"));
}
