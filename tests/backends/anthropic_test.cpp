#include <algorithm>
#include <catch2/catch.hpp>

#include "ciri/backends/llm_client.hpp"
#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;
using nlohmann::json;

TEST_CASE("anthropic: system, stop_sequences, and the prefix as its own cached block",
          "[anthropic]") {
    auto b = make_backend({"anthropic", "claude-x", "http://127.0.0.1:1"});
    REQUIRE(b);
    LlmRequest req = request_for("the file");
    req.stop = {"###"};
    HttpRequest http = (*b)->build_request(req, 1);
    CHECK(http.url == "http://127.0.0.1:1/v1/messages");
    CHECK(std::ranges::find(http.headers, "anthropic-version: 2023-06-01") != http.headers.end());
    auto body = json::parse(http.body);
    CHECK(body["system"][0]["text"] == "You are a configuration validator.");
    CHECK(body["stop_sequences"] == json::array({"###"}));
    CHECK(body["max_tokens"] == 100);
    const auto& content = body["messages"][0]["content"];
    REQUIRE(content.size() == 2);
    CHECK(content[0]["text"] == "Instructions: answer in JSON.\n");
    CHECK(content[0]["cache_control"]["type"] == "ephemeral");
    CHECK(content[1]["text"] == "the file");
    CHECK_FALSE(content[1].contains("cache_control"));
    // Written as text, the body is still json::dump()'s bytes (sorted keys, no spaces).
    CHECK(http.body == body.dump());
    req.prompt.prefix.clear();
    req.prompt.body = "a \"quoted\"\tvalue\n\x01 caf\xc3\xa9";
    http = (*b)->build_request(req, 1);
    body = json::parse(http.body);
    CHECK(http.body == body.dump());
    REQUIRE(body["messages"][0]["content"].size() == 1);
    CHECK(body["messages"][0]["content"][0]["text"] == req.prompt.body);
}

TEST_CASE("anthropic: n samples are n requests; the prefix is read from cache after the first",
          "[anthropic][emulator]") {
    TempDir dir("anthropic");
    EmulatorProcess emu({"--log", (dir.path / "log.jsonl").string()});
    ::setenv("ANTHROPIC_API_KEY", "sk-ant-test-key", 1);
    LlmClient client(test_options());
    LlmRequest req = request_for("file one", 3);
    req.prompt.prefix = std::string(6000, 'p') + "\n";
    auto r = client.submit(emulator_spec(emu, "anthropic", "claude-test"), req).get();
    INFO(r.error_message);
    REQUIRE(r.ok());
    CHECK(r.samples.size() == 3);
    CHECK(r.attempts == 3);
    auto stats = emu.stats();
    CHECK(stats["by_endpoint"]["anthropic"] == 3);
    CHECK(stats["cached_prompt_tokens"] > 0);
    CHECK(r.usage.cached_prompt > 0);  // two of the three read the prefix from cache
    CHECK(r.usage.cached_prompt == stats["cached_prompt_tokens"]);
    // The key the environment holds is the one that reached the endpoint.
    auto log = read_file(dir.path / "log.jsonl");
    CHECK(log.find("sk-ant-test-key") != std::string::npos);
    CHECK(log.find("2023-06-01") != std::string::npos);
    ::unsetenv("ANTHROPIC_API_KEY");
}

TEST_CASE("anthropic: a loopback server without a key still gets the required header",
          "[anthropic][emulator]") {
    ::unsetenv("ANTHROPIC_API_KEY");
    EmulatorProcess emu;
    LlmClient client(test_options());
    auto r = client.submit(emulator_spec(emu, "anthropic"), request_for("x")).get();
    INFO(r.error_message);
    CHECK(r.ok());
}

TEST_CASE("anthropic: parse_reply joins text blocks and sums the three input counts",
          "[anthropic]") {
    auto b = make_backend({"anthropic", "m", "http://127.0.0.1:1"});
    auto r =
        (*b)->parse_reply(R"({"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],
        "usage":{"input_tokens":5,"output_tokens":7,"cache_creation_input_tokens":3,"cache_read_input_tokens":100}})");
    REQUIRE(r);
    CHECK(r->samples == std::vector<std::string>{"ab"});
    CHECK(r->usage.prompt == 108);
    CHECK(r->usage.cached_prompt == 100);
    CHECK(r->usage.cache_write == 3);
    CHECK(r->usage.completion == 7);
    CHECK_FALSE((*b)->parse_reply(R"({"type":"message"})"));
}
