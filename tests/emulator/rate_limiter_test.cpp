#include "tests/emulator/rate_limiter.hpp"

#include <catch2/catch.hpp>

#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("rate limiter: a sliding 60 s window", "[rpm]") {
    RateLimiter limiter(2);
    auto t0 = RateLimiter::Clock::time_point{} + 1000s;
    CHECK(!limiter.admit(t0));
    CHECK(!limiter.admit(t0 + 10s));
    auto wait = limiter.admit(t0 + 20s);
    REQUIRE(wait);
    CHECK(*wait == 40);  // the first request leaves the window at t0 + 60 s
    CHECK(!limiter.admit(t0 + 60s));
    CHECK(limiter.admit(t0 + 61s));
    CHECK(!limiter.admit(t0 + 71s));
    limiter.clear();
    CHECK(!limiter.admit(t0 + 72s));
    CHECK(!RateLimiter(0).admit(t0));
}

TEST_CASE("rate limiter: --rpm answers 429 with Retry-After over HTTP", "[rpm]") {
    EmulatorProcess emulator({"--rpm", "3"});
    for (int i = 0; i < 3; ++i) {
        CHECK(post(emulator, "/v1/chat/completions", openai_request("q"))->status == 200);
    }
    auto rejected = post(emulator, "/v1/messages", anthropic_request("q"), anthropic_headers());
    REQUIRE(rejected);
    CHECK(rejected->status == 429);
    CHECK(json::parse(rejected->body)["error"]["type"] == "rate_limit_error");
    int retry_after = std::stoi(rejected->get_header_value("Retry-After"));
    CHECK(retry_after >= 59);
    CHECK(retry_after <= 60);
    json stats = emulator.stats();
    CHECK(stats["rejected_rpm"] == 1);
    CHECK(stats["requests"] == 4);
    CHECK(stats["samples"] == 3);
    emulator.reset();
    CHECK(post(emulator, "/v1/chat/completions", openai_request("q"))->status == 200);
}
