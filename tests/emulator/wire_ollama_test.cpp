#include "tests/emulator/wire_ollama.hpp"

#include <catch2/catch.hpp>

#include "tests/emulator/billing.hpp"
#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

namespace {
json ollama_request(const std::string& prompt) {
    return {{"model", "codellama:7b"},
            {"stream", false},
            {"format", "json"},
            {"options", {{"temperature", 0.2}}},
            {"messages", json::array({{{"role", "system"}, {"content", "be brief"}},
                                      {{"role", "user"}, {"content", prompt}}})}};
}
}  // namespace

TEST_CASE("ollama: reply has the provider's shape; format json drops the fence", "[ollama]") {
    EmulatorProcess emulator;
    auto res = post(emulator, "/api/chat", ollama_request(std::string(23, 'q')));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    json body = json::parse(res->body);
    CHECK(body["model"] == "codellama:7b");
    CHECK(body["created_at"].is_string());
    CHECK(body["done"] == true);
    CHECK(body["message"]["role"] == "assistant");
    std::string content = body["message"]["content"];
    json answer = json::parse(content);  // JSON mode: no ``` fence
    CHECK(answer["errParameter"] == json::array());
    CHECK(body["prompt_eval_count"] == tokens(std::string("be brief\n").size() + 23));
    CHECK(body["eval_count"] == tokens(content.size()));
    CHECK(body["total_duration"].get<long long>() > 0);
    CHECK(emulator.stats()["by_endpoint"]["ollama"] == 1);
}

TEST_CASE("ollama: num_predict limits the answer; errors are {\"error\": ...}", "[ollama]") {
    EmulatorProcess emulator;
    json request = ollama_request("q");
    request["options"]["num_predict"] = 1;
    json body = json::parse(post(emulator, "/api/chat", request)->body);
    CHECK(body["message"]["content"] == "{\"ha");
    CHECK(body["done_reason"] == "length");

    auto bad = post(emulator, "/api/chat", json{{"messages", json::array()}});
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(json::parse(bad->body)["error"].is_string());
}
