#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "ciri/backends/llm_client.hpp"
#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;
using nlohmann::json;

TEST_CASE("openai: request body carries messages, n, max_tokens, stop and JSON mode", "[openai]") {
    auto b = make_backend({"openai", "gpt-4o", "http://127.0.0.1:1/v1"});
    REQUIRE(b);
    LlmRequest req = request_for("the file");
    req.stop = {"END"};
    req.json_mode = true;
    HttpRequest http = (*b)->build_request(req, 3);
    CHECK(http.url == "http://127.0.0.1:1/v1/chat/completions");
    auto body = json::parse(http.body);
    CHECK(body["model"] == "gpt-4o");
    CHECK(body["n"] == 3);
    CHECK(body["max_tokens"] == 100);
    CHECK(body["stop"] == json::array({"END"}));
    CHECK(body["response_format"]["type"] == "json_object");
    REQUIRE(body["messages"].size() == 2);
    CHECK(body["messages"][0]["role"] == "system");
    CHECK(body["messages"][1]["content"] == "Instructions: answer in JSON.\nthe file");
    // Written as text, the body is still json::dump()'s bytes (sorted keys, no spaces).
    CHECK(http.body == body.dump());
    req.prompt.body = "a \"quoted\"\tvalue\n\x01 caf\xc3\xa9";
    req.json_mode = false;
    req.stop.clear();
    http = (*b)->build_request(req, 1);
    body = json::parse(http.body);
    CHECK(http.body == body.dump());
    CHECK(body["messages"][1]["content"] == "Instructions: answer in JSON.\n" + req.prompt.body);
    CHECK_FALSE(body.contains("n"));
}

TEST_CASE("openai: parse_reply orders choices and reads usage; rejects other shapes", "[openai]") {
    auto b = make_backend({"openai", "m", "http://127.0.0.1:1/v1"});
    REQUIRE(b);
    auto r = (*b)->parse_reply(
        R"({"choices":[{"index":1,"message":{"content":"B"}},{"index":0,"message":{"content":"A"}}],
        "usage":{"prompt_tokens":10,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":6}}})");
    REQUIRE(r);
    CHECK(r->samples == std::vector<std::string>{"A", "B"});
    CHECK(r->usage.prompt == 10);
    CHECK(r->usage.cached_prompt == 6);
    CHECK(r->usage.completion == 4);
    CHECK_FALSE((*b)->parse_reply("<html>"));
    CHECK_FALSE((*b)->parse_reply(R"({"id":"x"})"));
    CHECK_FALSE((*b)->parse_reply(R"({"choices":[{"index":0}]})"));
}

TEST_CASE("openai: key from OPENAI_API_KEY or a named env var; none needed on loopback",
          "[openai]") {
    ::setenv("CIRI_TEST_OTHER_KEY", "sk-other", 1);
    ::unsetenv("OPENAI_API_KEY");
    auto hosted = make_backend({"openai", "gpt-4o", "https://api.openai.com/v1"});
    REQUIRE(hosted);
    CHECK_FALSE((*hosted)->has_key());
    CHECK((*hosted)->key_env() == "OPENAI_API_KEY");
    auto named = make_backend({"openai", "gpt-4o", "https://api.openai.com/v1"},
                              {.key_env = "CIRI_TEST_OTHER_KEY"});
    REQUIRE(named);
    CHECK((*named)->has_key());
    auto http = (*named)->build_request(request_for("x"), 1);
    CHECK(std::ranges::find(http.headers, "Authorization: Bearer sk-other") != http.headers.end());
    auto local = make_backend({"openai", "m", "http://127.0.0.1:8000/v1"});
    CHECK((*local)->has_key());
    for (const auto& h : (*local)->build_request(request_for("x"), 1).headers)
        CHECK(h.find("Authorization") == std::string::npos);
    ::unsetenv("CIRI_TEST_OTHER_KEY");
}

TEST_CASE("openai: missing key on a hosted URL fails with auth before any request", "[openai]") {
    ::unsetenv("OPENAI_API_KEY");
    LlmClient client(test_options());
    auto r =
        client.submit(ModelSpec{"openai", "gpt-4o", "https://api.openai.com/v1"}, request_for("x"))
            .get();
    CHECK(r.error == ErrorKind::auth);
    CHECK(r.error_message.find("OPENAI_API_KEY") != std::string::npos);
    CHECK(r.attempts == 0);
}

TEST_CASE("openai: n samples in one request against the emulator", "[openai][emulator]") {
    TempDir dir("openai-n");
    EmulatorProcess emu(
        {"--default-answer", "{\"hasError\": false}", "--log", (dir.path / "log.jsonl").string()});
    LlmClient client(test_options());
    auto r = client.submit(emulator_spec(emu, "openai"), request_for("file body", 3)).get();
    INFO(r.error_message);
    REQUIRE(r.ok());
    CHECK(r.samples.size() == 3);
    for (const auto& s : r.samples) CHECK(s.find("hasError") != std::string::npos);
    CHECK(r.attempts == 1);
    CHECK(r.usage.prompt > 0);
    CHECK(r.usage.completion > 0);
    auto stats = emu.stats();
    CHECK(stats["by_endpoint"]["openai"] == 1);
    CHECK(stats["samples"] == 3);
    // The prompt is billed once for n samples: usage equals what the emulator counted.
    CHECK(stats["prompt_tokens"] == r.usage.prompt);
    auto line = json::parse(
        read_file(dir.path / "log.jsonl").substr(0, read_file(dir.path / "log.jsonl").find('\n')));
    CHECK(line["n"] == 3);
    CHECK(line["prompt"].get<std::string>().find("file body") != std::string::npos);
    CHECK(line["model"] == "m1");
}

TEST_CASE("openai: repeated long prefix is reported as cached prompt tokens",
          "[openai][emulator]") {
    EmulatorProcess emu;
    LlmClient client(test_options());
    LlmRequest req = request_for("first file");
    req.prompt.prefix = std::string(8000, 'x') + "\n";
    auto a = client.submit(emulator_spec(emu, "openai"), req).get();
    req.prompt.body = "second file";
    auto b = client.submit(emulator_spec(emu, "openai"), req).get();
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.usage.cached_prompt == 0);
    CHECK(b.usage.cached_prompt >= 1024);
    CHECK(b.usage.cached_prompt <= b.usage.prompt);
    auto rows = client.report();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].usage.cached_prompt == b.usage.cached_prompt);
    CHECK(rows[0].cost_usd == Approx(0.0));  // loopback: local server, free
}
