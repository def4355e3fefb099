#include <catch2/catch.hpp>
#include <cstdlib>

#include "ciri/backends/llm_client.hpp"
#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;
using nlohmann::json;

TEST_CASE("ollama: stream false, format json, options; OLLAMA_HOST without scheme", "[ollama]") {
    ::setenv("OLLAMA_HOST", "127.0.0.1:5555", 1);
    auto b = make_backend({"ollama", "qwen2.5-coder:7b", ""});
    ::unsetenv("OLLAMA_HOST");
    REQUIRE(b);
    CHECK((*b)->spec().base_url == "http://127.0.0.1:5555");
    LlmRequest req = request_for("x");
    req.json_mode = true;
    req.temperature = 0.7;
    auto body = json::parse((*b)->build_request(req, 1).body);
    CHECK(body["stream"] == false);
    CHECK(body["format"] == "json");
    CHECK(body["options"]["temperature"] == Approx(0.7));
    CHECK(body["options"]["num_predict"] == 100);
    // Written as text, the body is still json::dump()'s bytes (sorted keys, no spaces).
    std::string text = (*b)->build_request(req, 1).body;
    CHECK(text == body.dump());
    CHECK(body["messages"][1]["content"] == "Instructions: answer in JSON.\nx");
    auto d = make_backend({"ollama", "m", ""});
    CHECK((*d)->spec().base_url == "http://127.0.0.1:11434");
}

TEST_CASE("ollama: n samples are n requests against the emulator", "[ollama][emulator]") {
    EmulatorProcess emu;
    LlmClient client(test_options());
    LlmRequest req = request_for("ollama file", 2);
    req.json_mode = true;
    auto r = client.submit(emulator_spec(emu, "ollama", "qwen2.5-coder:7b"), req).get();
    INFO(r.error_message);
    REQUIRE(r.ok());
    CHECK(r.samples.size() == 2);
    for (const auto& s : r.samples)
        CHECK(json::parse(s, nullptr, false).is_object());  // format json: bare JSON
    CHECK(emu.stats()["by_endpoint"]["ollama"] == 2);
    CHECK(r.usage.prompt > 0);
    CHECK(r.usage.completion > 0);
}
