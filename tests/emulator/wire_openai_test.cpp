#include "tests/emulator/wire_openai.hpp"

#include <catch2/catch.hpp>

#include "tests/emulator/billing.hpp"
#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

TEST_CASE("openai: reply has the provider's shape and n choices billed once", "[openai]") {
    EmulatorProcess emulator;
    std::string prompt(401, 'p');
    auto res = post(emulator, "/v1/chat/completions", openai_request(prompt, 3, "gpt-x"));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    json body = json::parse(res->body);
    CHECK(body["object"] == "chat.completion");
    CHECK(body["model"] == "gpt-x");
    CHECK(body["id"].is_string());
    REQUIRE(body["choices"].size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(body["choices"][i]["index"] == i);
        CHECK(body["choices"][i]["message"]["role"] == "assistant");
        CHECK(body["choices"][i]["message"]["content"] ==
              "```json\n{\"hasError\": false, \"errParameter\": [], \"reason\": []}\n```");
        CHECK(body["choices"][i]["finish_reason"] == "stop");
    }
    long answer_tokens = tokens(body["choices"][0]["message"]["content"].get<std::string>().size());
    CHECK(body["usage"]["prompt_tokens"] == 101);  // ceil(401 / 4), once for 3 samples
    CHECK(body["usage"]["completion_tokens"] == 3 * answer_tokens);
    CHECK(body["usage"]["total_tokens"] == 101 + 3 * answer_tokens);
    CHECK(body["usage"]["prompt_tokens_details"]["cached_tokens"] == 0);

    json stats = emulator.stats();
    CHECK(stats["requests"] == 1);
    CHECK(stats["by_endpoint"]["openai"] == 1);
    CHECK(stats["samples"] == 3);
    CHECK(stats["prompt_tokens"] == 101);
    CHECK(stats["completion_tokens"] == 3 * answer_tokens);
}

TEST_CASE("openai: /chat/completions is the same endpoint", "[openai]") {
    EmulatorProcess emulator;
    auto res = post(emulator, "/chat/completions", openai_request("hello"));
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(emulator.stats()["by_endpoint"]["openai"] == 1);
}

TEST_CASE("openai: prefixes of >= 1024 tokens are cached in 128-token steps", "[openai][billing]") {
    EmulatorProcess emulator;
    std::string shared(6000, 's');  // 1500 tokens: the longest step inside is 1408
    auto first = post(emulator, "/v1/chat/completions", openai_request(shared + "first file"));
    REQUIRE(first);
    CHECK(json::parse(first->body)["usage"]["prompt_tokens_details"]["cached_tokens"] == 0);
    auto second = post(emulator, "/v1/chat/completions", openai_request(shared + "other file"));
    REQUIRE(second);
    json usage = json::parse(second->body)["usage"];
    CHECK(usage["prompt_tokens_details"]["cached_tokens"] == 1408);
    CHECK(usage["prompt_tokens"] == tokens(6010));

    SECTION("another model has its own cache") {
        auto other = post(emulator, "/v1/chat/completions",
                          openai_request(shared + "other file", 1, "gpt-other"));
        CHECK(json::parse(other->body)["usage"]["prompt_tokens_details"]["cached_tokens"] == 0);
    }
    SECTION("short prompts are never cached") {
        std::string small(4000, 's');
        post(emulator, "/v1/chat/completions", openai_request(small));
        auto again = post(emulator, "/v1/chat/completions", openai_request(small));
        CHECK(json::parse(again->body)["usage"]["prompt_tokens_details"]["cached_tokens"] == 0);
    }
    CHECK(emulator.stats()["cached_prompt_tokens"] == 1408);
}

TEST_CASE("openai: max_tokens, stop and response_format shape the answer", "[openai]") {
    EmulatorProcess emulator;
    json request = openai_request("q");
    request["max_tokens"] = 3;
    auto cut = post(emulator, "/v1/chat/completions", request);
    REQUIRE(cut);
    json body = json::parse(cut->body);
    CHECK(body["choices"][0]["message"]["content"] == "```json\n{\"ha");
    CHECK(body["choices"][0]["finish_reason"] == "length");

    request = openai_request("q");
    request["stop"] = json::array({"errParameter", "\"hasError\""});
    CHECK(openai_content(post(emulator, "/v1/chat/completions", request)) == "```json\n{");

    request = openai_request("q");
    request["response_format"] = {{"type", "json_object"}};
    json answer = json::parse(openai_content(post(emulator, "/v1/chat/completions", request)));
    CHECK(answer["hasError"] == false);
}

TEST_CASE("openai: invalid requests get 400 with OpenAI's error JSON", "[openai]") {
    EmulatorProcess emulator;
    auto check_400 = [&](const json& request) {
        auto res = post(emulator, "/v1/chat/completions", request);
        REQUIRE(res);
        CHECK(res->status == 400);
        json body = json::parse(res->body);
        CHECK(body["error"]["type"] == "invalid_request_error");
        CHECK(!body["error"]["message"].get<std::string>().empty());
    };
    check_400({{"messages", json::array({{{"role", "user"}, {"content", "x"}}})}});
    check_400({{"model", "m"}, {"messages", json::array()}});
    json bad_n = openai_request("x");
    bad_n["n"] = 0;
    check_400(bad_n);
    json hot = openai_request("x");
    hot["temperature"] = 2.5;
    check_400(hot);
    json format = openai_request("x");
    format["response_format"] = {{"type", "yaml"}};
    check_400(format);

    httplib::Client client("127.0.0.1", emulator.port());
    auto res = client.Post("/v1/chat/completions", "{not json", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(emulator.stats()["samples"] == 0);
}

TEST_CASE("openai: content parts and system messages make up the prompt", "[openai]") {
    httplib::Request http;
    http.body =
        json{{"model", "m"},
             {"messages",
              json::array({{{"role", "system"}, {"content", "sys"}},
                           {{"role", "user"},
                            {"content", json::array({{{"type", "text"}, {"text", "a"}},
                                                     {{"type", "text"}, {"text", "b"}}})}}})}}
            .dump();
    auto request = OpenAiFormat().parse(http);
    REQUIRE(request);
    CHECK(request->prompt == "sys\nab");
    CHECK(request->n == 1);
}
