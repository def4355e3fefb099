#include "tests/emulator/wire_anthropic.hpp"

#include <catch2/catch.hpp>

#include "tests/emulator/billing.hpp"
#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

TEST_CASE("anthropic: reply has the provider's shape", "[anthropic]") {
    EmulatorProcess emulator;
    auto res = post(emulator, "/v1/messages", anthropic_request(std::string(40, 'q')),
                    anthropic_headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    json body = json::parse(res->body);
    CHECK(body["type"] == "message");
    CHECK(body["role"] == "assistant");
    CHECK(body["model"] == "claude-test");
    CHECK(body["stop_reason"] == "end_turn");
    REQUIRE(body["content"].size() == 1);
    CHECK(body["content"][0]["type"] == "text");
    std::string text = body["content"][0]["text"];
    CHECK(text.find("\"hasError\": false") != std::string::npos);
    CHECK(body["usage"]["input_tokens"] == 10);
    CHECK(body["usage"]["output_tokens"] == tokens(text.size()));
    CHECK(body["usage"]["cache_creation_input_tokens"] == 0);
    CHECK(body["usage"]["cache_read_input_tokens"] == 0);
    json stats = emulator.stats();
    CHECK(stats["by_endpoint"]["anthropic"] == 1);
    CHECK(stats["samples"] == 1);
}

TEST_CASE("anthropic: x-api-key and anthropic-version are required", "[anthropic]") {
    EmulatorProcess emulator;
    auto no_key = post(emulator, "/v1/messages", anthropic_request("q"),
                       {{"anthropic-version", "2023-06-01"}});
    REQUIRE(no_key);
    CHECK(no_key->status == 401);
    json body = json::parse(no_key->body);
    CHECK(body["type"] == "error");
    CHECK(body["error"]["type"] == "authentication_error");

    auto no_version = post(emulator, "/v1/messages", anthropic_request("q"), {{"x-api-key", "k"}});
    REQUIRE(no_version);
    CHECK(no_version->status == 400);
    CHECK(json::parse(no_version->body)["error"]["type"] == "invalid_request_error");
    CHECK(emulator.stats()["samples"] == 0);
}

TEST_CASE("anthropic: cache_control prefixes are created once, then read", "[anthropic][billing]") {
    EmulatorProcess emulator;
    std::string system(800, 's');  // 200 tokens
    std::string shots(1200, 'h');  // 300 tokens
    auto request = [&](const std::string& file) {
        return json{
            {"model", "claude-test"},
            {"max_tokens", 100},
            {"system", json::array({{{"type", "text"},
                                     {"text", system},
                                     {"cache_control", {{"type", "ephemeral"}}}}})},
            {"messages",
             json::array({{{"role", "user"},
                           {"content", json::array({{{"type", "text"},
                                                     {"text", shots},
                                                     {"cache_control", {{"type", "ephemeral"}}}},
                                                    {{"type", "text"}, {"text", file}}})}}})}};
    };
    // The marked prefix is system + "\n" + shots: 2001 bytes, 501 tokens.
    auto first =
        post(emulator, "/v1/messages", request(std::string(400, 'a')), anthropic_headers());
    REQUIRE(first);
    json usage = json::parse(first->body)["usage"];
    CHECK(usage["cache_creation_input_tokens"] == 501);
    CHECK(usage["cache_read_input_tokens"] == 0);
    CHECK(usage["input_tokens"] == tokens(2401) - 501);

    auto second =
        post(emulator, "/v1/messages", request(std::string(80, 'b')), anthropic_headers());
    REQUIRE(second);
    usage = json::parse(second->body)["usage"];
    CHECK(usage["cache_creation_input_tokens"] == 0);
    CHECK(usage["cache_read_input_tokens"] == 501);
    CHECK(usage["input_tokens"] == tokens(2081) - 501);

    json stats = emulator.stats();
    CHECK(stats["cached_prompt_tokens"] == 501);
    CHECK(stats["prompt_tokens"] == tokens(2401) + tokens(2081));

    SECTION("/reset empties the cache") {
        emulator.reset();
        auto third = post(emulator, "/v1/messages", request("c"), anthropic_headers());
        CHECK(json::parse(third->body)["usage"]["cache_creation_input_tokens"] == 501);
    }
}

TEST_CASE("anthropic: stop_sequences and max_tokens", "[anthropic]") {
    EmulatorProcess emulator;
    json request = anthropic_request("q");
    request["stop_sequences"] = json::array({"errParameter"});
    json body = json::parse(post(emulator, "/v1/messages", request, anthropic_headers())->body);
    CHECK(body["stop_reason"] == "stop_sequence");
    CHECK(body["stop_sequence"] == "errParameter");
    CHECK(body["content"][0]["text"] == "```json\n{\"hasError\": false, \"");

    request = anthropic_request("q");
    request["max_tokens"] = 2;
    body = json::parse(post(emulator, "/v1/messages", request, anthropic_headers())->body);
    CHECK(body["stop_reason"] == "max_tokens");
    CHECK(body["content"][0]["text"] == "```json\n");
}

TEST_CASE("anthropic: system string and blocks join the prompt", "[anthropic]") {
    httplib::Request http;
    http.headers = {{"x-api-key", "k"}, {"anthropic-version", "2023-06-01"}};
    http.body =
        json{{"model", "m"},
             {"system", "sys"},
             {"messages",
              json::array({{{"role", "user"},
                            {"content", json::array({{{"type", "text"}, {"text", "pre"}},
                                                     {{"type", "text"},
                                                      {"text", "fix"},
                                                      {"cache_control", {{"type", "ephemeral"}}}},
                                                     {{"type", "text"}, {"text", "body"}}})}}})}}
            .dump();
    auto request = AnthropicFormat().parse(http);
    REQUIRE(request);
    CHECK(request->prompt == "sys\nprefixbody");
    REQUIRE(request->cache_prefix_bytes);
    CHECK(*request->cache_prefix_bytes == std::string("sys\nprefix").size());
}
