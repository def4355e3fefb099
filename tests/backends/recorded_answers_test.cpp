#include "ciri/backends/recorded_answers.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "tests/backends/recorded_test_util.hpp"

using namespace ciri;

namespace {

const std::string kResult = ciri::test::artifact_result(
    {{"{'hasError': True, 'errParameter': ['a'], 'reason': ['x']}",
      "{'hasError': False, 'errParameter': [], 'reason': []}"},
     {"{'hasError': True, 'errParameter': ['b'], 'reason': ['y']}"}},
    "b", "y");

RecordedRecord record(const std::string& model, int number, const std::string& text) {
    auto r = parse_ciri_result(kResult);
    REQUIRE(r);
    return make_record(*r, CiriResultId{"hdfs", model, "default", "erroneous", number}, text);
}

}  // namespace

TEST_CASE("content keys ignore trailing blanks and blank edge lines", "[recorded]") {
    CHECK(content_key("a = 1\nb = 2\n") == content_key("\n\na = 1   \r\nb = 2"));
    CHECK(content_key("a = 1\nb = 2\n") != content_key("a = 1\nb = 3\n"));
    CHECK(content_lines("\n x\ny \n\n") == std::vector<std::string>{" x", "y"});
}

TEST_CASE("records keep rounds and the final result, and survive JSON", "[recorded]") {
    RecordedRecord r = record("gpt", 7, "k = v\n");
    CHECK(r.item_id() == "hdfs/erroneous/7");
    CHECK(r.rounds.size() == 2);
    CHECK(r.deciding_round().size() == 1);
    CHECK(r.content_lines == 1);
    CHECK(r.first_line == "k = v");
    auto fin = nlohmann::json::parse(r.final_answer());
    CHECK(fin["hasError"] == true);
    CHECK(fin["errParameter"] == nlohmann::json({"b"}));
    CHECK(fin["reason"] == nlohmann::json({"y"}));
    auto back = recorded_from_json(to_json(r));
    REQUIRE(back);
    CHECK(to_json(*back) == to_json(r));
    CHECK_FALSE(recorded_from_json({{"system", "x"}}));
}

TEST_CASE("records are found by id, by key and inside a prompt", "[recorded]") {
    const std::string file1 = "<configuration>\n<property><name>a</name><value>1</value></property>\n</configuration>\n";
    const std::string file2 = "<configuration>\n<property><name>b</name><value>2</value></property>\n</configuration>\n";
    RecordedAnswers answers({record("gpt", 1, file1), record("gpt", 2, file2), record("claude", 1, file1)});
    CHECK(answers.models() == std::vector<std::string>{"claude", "gpt"});
    CHECK(answers.modes("gpt") == std::vector<std::string>{"default"});
    REQUIRE(answers.find("gpt", "default", "hdfs", "erroneous", 2));
    CHECK(answers.find("gpt", "default", "hdfs", "erroneous", 2)->number == 2);
    CHECK_FALSE(answers.find("gpt", "zero_shot", "hdfs", "erroneous", 2));
    CHECK(answers.find_by_key("claude", "default", content_key(file1))->model == "claude");
    // A prompt with a shot (file1) and then the file under test (file2), fenced, re-trimmed.
    const std::string prompt = "Example:\n" + file1 + "Answer: {}\n\nNow this one:\n```xml\n" + file2 +
                               "```\nQuestion: Are there any mistakes?";
    const RecordedRecord* hit = answers.find_in_text("gpt", "default", prompt);
    REQUIRE(hit);
    CHECK(hit->number == 2);
    CHECK_FALSE(answers.find_in_text("gpt", "default", "nothing here"));
    CHECK_FALSE(answers.find_in_text("claude", "default", "x\n" + file2));
}

TEST_CASE("recorded specs name model, mode, final and file", "[recorded]") {
    auto s = parse_recorded_spec("gpt-4-0125-preview:zero_shot:final@/tmp/b.jsonl");
    REQUIRE(s);
    CHECK(s->first.model == "gpt-4-0125-preview");
    CHECK(s->first.mode == "zero_shot");
    CHECK(s->first.final);
    CHECK(s->second == "/tmp/b.jsonl");
    // Model names may hold '@' (Vertex style); the file follows the last one.
    CHECK(parse_recorded_spec("claude@20240620@a.jsonl")->first.model == "claude@20240620");
    auto d = parse_recorded_spec("m@answers.jsonl");
    REQUIRE(d);
    CHECK(d->first.mode == "default");
    CHECK_FALSE(d->first.final);
    CHECK_FALSE(parse_recorded_spec("m"));
    CHECK_FALSE(parse_recorded_spec("@x"));
}

TEST_CASE("answers files load and are shared per path", "[recorded]") {
    const auto path = std::filesystem::temp_directory_path() / ("ciri_recorded_" + std::to_string(::getpid()) + ".jsonl");
    {
        std::ofstream o(path);
        o << to_json(record("gpt", 1, "k = v\n")).dump() << "\n\n";
    }
    auto a = RecordedAnswers::shared(path);
    auto b = RecordedAnswers::shared(path);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->get() == b->get());
    CHECK((*a)->records().size() == 1);
    std::ofstream(path, std::ios::app) << "{broken\n";
    auto bad = RecordedAnswers::load(path);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().line == 3);
    std::filesystem::remove(path);
}
