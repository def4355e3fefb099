#include "tests/emulator/server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

TEST_CASE("server: /stats counts per endpoint and /reset zeroes it", "[server]") {
    EmulatorProcess emulator;
    json zero = emulator.stats();
    for (const char* key : {"requests", "samples", "prompt_tokens", "completion_tokens",
                            "cached_prompt_tokens", "rejected_rpm"}) {
        CHECK(zero[key] == 0);
    }
    CHECK(zero["faults"].size() == kAllFaultKinds.size());

    post(emulator, "/v1/chat/completions", openai_request("12345678", 2));
    post(emulator, "/v1/messages", anthropic_request("1234"), anthropic_headers());
    post(emulator, "/api/chat",
         json{{"model", "m"}, {"messages", json::array({{{"role", "user"}, {"content", "q"}}})}});
    post(emulator, "/v1/messages", anthropic_request("no headers"));  // 401, still a request
    json stats = emulator.stats();
    CHECK(stats["requests"] == 4);
    CHECK(stats["by_endpoint"] == json{{"openai", 1}, {"anthropic", 2}, {"ollama", 1}});
    CHECK(stats["samples"] == 4);
    CHECK(stats["prompt_tokens"] == 2 + 1 + 1);
    CHECK(stats["completion_tokens"].get<long>() > 0);

    emulator.reset();
    json reset = emulator.stats();
    CHECK(reset["requests"] == 0);
    CHECK(reset["by_endpoint"]["anthropic"] == 0);
    CHECK(reset["samples"] == 0);
    CHECK(reset["prompt_tokens"] == 0);
}

TEST_CASE("server: replies are JSON sent uncompressed even when the client accepts br and gzip",
          "[server]") {
    EmulatorProcess emulator;
    // libcurl, and so ciri, accepts every encoding it can decode; compressing each reply
    // cost the emulator more CPU than the rest of the request.
    auto res = post(emulator, "/v1/chat/completions", openai_request("q"),
                    {{"Accept-Encoding", "deflate, gzip, br, zstd"}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK_FALSE(res->has_header("Content-Encoding"));
    CHECK(res->get_header_value("Content-Type").starts_with("application/json"));
    CHECK(json::parse(res->body)["object"] == "chat.completion");
}

TEST_CASE("server: latency sleeps do not hold up other requests", "[server][latency]") {
    EmulatorProcess emulator({"--latency-ms", "300", "--threads", "16"});
    auto started = std::chrono::steady_clock::now();
    std::vector<std::future<int>> replies;
    for (int i = 0; i < 12; ++i) {
        replies.push_back(std::async(std::launch::async, [&] {
            return post(emulator, "/v1/chat/completions", openai_request("q"))->status;
        }));
    }
    for (auto& reply : replies) CHECK(reply.get() == 200);
    auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(elapsed >= std::chrono::milliseconds(300));
    CHECK(elapsed < std::chrono::milliseconds(1500));  // serialised it would take 3.6 s
}

TEST_CASE("server: jitter keeps every delay within mean +- jitter", "[server][latency]") {
    EmulatorProcess emulator({"--latency-ms", "100", "--latency-jitter-ms", "50"});
    for (int i = 0; i < 5; ++i) {
        auto started = std::chrono::steady_clock::now();
        post(emulator, "/v1/chat/completions", openai_request("q"));
        auto elapsed = std::chrono::steady_clock::now() - started;
        CHECK(elapsed >= std::chrono::milliseconds(50));
        CHECK(elapsed < std::chrono::milliseconds(400));
    }
}

TEST_CASE("server: SIGTERM during a slow answer exits promptly with status 0", "[server]") {
    EmulatorProcess emulator({"--fault", "slow:1"});
    auto pending = std::async(std::launch::async, [&] {
        return post(emulator, "/v1/chat/completions", openai_request("q"));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto started = std::chrono::steady_clock::now();
    int status = emulator.stop();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    pending.wait();
}

TEST_CASE("server: unknown paths are 404 and the host must be loopback", "[server]") {
    EmulatorProcess emulator;
    httplib::Client client("127.0.0.1", emulator.port());
    auto res = client.Get("/v1/models");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(emulator.base_url() == "http://127.0.0.1:" + std::to_string(emulator.port()));
    CHECK_THROWS(EmulatorProcess({"--host", "0.0.0.0"}));
}
