#include "tests/emulator/script.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

namespace {

std::filesystem::path write_script(const json& script, const std::string& name) {
    auto path = std::filesystem::temp_directory_path() /
                ("ciri_emulator_" + name + "_" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << script.dump();
    return path;
}

std::string answer(bool error, const std::string& parameter = "") {
    if (!error) return R"({"hasError":false,"errParameter":[],"reason":[]})";
    return R"({"hasError":true,"errParameter":[")" + parameter + R"("],"reason":["bad"]})";
}

}  // namespace

TEST_CASE("script: responses are consumed per sample, then repeat_last or cycle", "[script]") {
    json script = {
        {"rules",
         json::array({
             {{"match", "hbase.regionserver.port"},
              {"endpoint", "openai"},
              {"model", "m1"},
              {"responses", json::array({{{"fault", "rate_limit"}, {"retry_after", "1"}},
                                         {{"answer", answer(false)}}})},
              {"then", "repeat_last"}},
             {{"match", "cycling"},
              {"responses", json::array({{{"answer", "A"}}, {{"answer", "B"}}, {{"answer", "C"}}})},
              {"then", "cycle"}},
             {{"match", "/port=[0-9]{6,}/"},
              {"responses", json::array({{{"answer", answer(true, "port")}}})}},
         })},
        {"default", "nothing matched"}};
    auto path = write_script(script, "sequence");
    EmulatorProcess emulator({"--script", path.string()});
    std::filesystem::remove(path);
    const std::string endpoint = "/v1/chat/completions";

    auto first = post(emulator, endpoint, openai_request("x hbase.regionserver.port y", 1, "m1"));
    REQUIRE(first);
    CHECK(first->status == 429);
    for (int i = 0; i < 2; ++i) {
        auto next = post(emulator, endpoint, openai_request("hbase.regionserver.port", 1, "m1"));
        CHECK(openai_content(next) == answer(false));
    }
    SECTION("endpoint and model restrict a rule") {
        CHECK(openai_content(
                  post(emulator, endpoint, openai_request("hbase.regionserver.port", 1, "m2"))) ==
              "nothing matched");
        auto anthropic =
            post(emulator, "/v1/messages", anthropic_request("hbase.regionserver.port", "m1"),
                 anthropic_headers());
        CHECK(json::parse(anthropic->body)["content"][0]["text"] == "nothing matched");
    }
    SECTION("n samples take n responses; cycle wraps") {
        auto res = post(emulator, endpoint, openai_request("cycling", 2));
        CHECK(openai_content(res, 0) == "A");
        CHECK(openai_content(res, 1) == "B");
        res = post(emulator, endpoint, openai_request("cycling", 3));
        CHECK(openai_content(res, 0) == "C");
        CHECK(openai_content(res, 1) == "A");
        CHECK(openai_content(res, 2) == "B");
        emulator.reset();
        CHECK(openai_content(post(emulator, endpoint, openai_request("cycling"))) == "A");
        CHECK(
            post(emulator, endpoint, openai_request("hbase.regionserver.port", 1, "m1"))->status ==
            429);
    }
    SECTION("/re/ rules are regular expressions") {
        CHECK(openai_content(post(emulator, endpoint, openai_request("port=123456"))) ==
              answer(true, "port"));
        CHECK(openai_content(post(emulator, endpoint, openai_request("port=12345"))) ==
              "nothing matched");
    }
}

TEST_CASE("script: a fault item fails the whole request it falls in", "[script]") {
    json script = {{"rules", json::array({{{"match", "q"},
                                           {"responses", json::array({{{"answer", "one"}},
                                                                      {{"fault", "http_500"}},
                                                                      {{"answer", "three"}}})}}})}};
    auto path = write_script(script, "fault_item");
    EmulatorProcess emulator({"--script", path.string()});
    std::filesystem::remove(path);
    auto res = post(emulator, "/v1/chat/completions", openai_request("q", 2));
    REQUIRE(res);
    CHECK(res->status == 500);
    CHECK(openai_content(post(emulator, "/v1/chat/completions", openai_request("q"))) == "three");
    CHECK(emulator.stats()["faults"]["http_500"] == 1);
}

TEST_CASE("script: --default-answer wins over the script default", "[script]") {
    auto path = write_script({{"default", "script default"}}, "default");
    {
        EmulatorProcess emulator({"--script", path.string()});
        CHECK(openai_content(post(emulator, "/v1/chat/completions", openai_request("q"))) ==
              "script default");
    }
    EmulatorProcess emulator({"--script", path.string(), "--default-answer", "flag default"});
    std::filesystem::remove(path);
    CHECK(openai_content(post(emulator, "/v1/chat/completions", openai_request("q"))) ==
          "flag default");
}

TEST_CASE("script: invalid scripts are refused with the rule's number", "[script]") {
    CHECK_THROWS_WITH(Script(json{{"rules", json::array({{{"match", "x"}}})}}),
                      Catch::Contains("rule 1") && Catch::Contains("responses"));
    CHECK_THROWS_WITH(
        Script(json{{"rules", json::array({{{"match", "x"},
                                            {"responses", json::array({{{"fault", "boom"}}})}}})}}),
        Catch::Contains("unknown fault"));
    CHECK_THROWS_WITH(
        Script(json{{"rules", json::array({{{"match", "/[/"},
                                            {"responses", json::array({{{"answer", "a"}}})}}})}}),
        Catch::Contains("bad regex"));
    CHECK_THROWS_WITH(
        Script(json{{"rules", json::array({{{"match", "x"},
                                            {"then", "loop"},
                                            {"responses", json::array({{{"answer", "a"}}})}}})}}),
        Catch::Contains("then"));
    CHECK_THROWS(Script(json::array()));
    Script empty(json::object());
    CHECK(empty.size() == 0);
    CHECK(!empty.default_answer());
}
