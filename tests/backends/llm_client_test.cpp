#include "ciri/backends/llm_client.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;
using nlohmann::json;

TEST_CASE("llm client: a backend that keeps failing goes down; the others carry on",
          "[llm_client][down][emulator]") {
    EmulatorProcess broken({"--fault", "http_500:1"});
    EmulatorProcess healthy;
    auto opts = test_options();
    opts.limits.down_after = 2;
    opts.limits.max_in_flight = 1;  // one at a time and no retries: failures come in a known order
    opts.limits.retry.max_attempts = 1;
    LlmClient client(opts);
    auto bad = emulator_spec(broken, "openai", "bad");
    auto good = emulator_spec(healthy, "ollama", "good");
    std::vector<std::future<LlmResponse>> bad_f, good_f;
    for (int i = 0; i < 10; ++i) {
        bad_f.push_back(client.submit(bad, request_for("q" + std::to_string(i))));
        good_f.push_back(client.submit(good, request_for("q" + std::to_string(i))));
    }
    int fast_failures = 0;
    for (auto& f : bad_f) {
        auto r = f.get();
        CHECK(r.error == ErrorKind::http_5xx);
        if (r.error_message.starts_with("backend down")) {
            ++fast_failures;
            CHECK(r.attempts == 0);
        }
    }
    for (auto& f : good_f) CHECK(f.get().ok());
    CHECK(fast_failures == 8);
    CHECK(broken.stats()["requests"] == 2);  // two failures, then nothing more
    CHECK(healthy.stats()["requests"] == 10);

    // Later requests fail fast too, without touching the network.
    auto later = client.submit(bad, request_for("later")).get();
    CHECK(later.error_message.starts_with("backend down"));
    CHECK(broken.stats()["requests"] == 2);

    auto rows = client.report();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].model == bad.to_string());
    CHECK(rows[0].down);
    CHECK(rows[0].down_reason.find("2 requests failed in a row") != std::string::npos);
    CHECK(rows[0].failures == 11);
    CHECK(rows[0].http_requests == 2);
    CHECK_FALSE(rows[1].down);
    CHECK(rows[1].requests == 10);
    CHECK(rows[1].failures == 0);
    CHECK(rows[1].usage.prompt > 0);
}

TEST_CASE("llm client: a rejected key takes the backend down at once",
          "[llm_client][down][emulator]") {
    EmulatorProcess emu({"--fault", "auth:1"});
    LlmClient client(test_options());
    auto a = client.submit(emulator_spec(emu, "openai"), request_for("a")).get();
    auto b = client.submit(emulator_spec(emu, "openai"), request_for("b")).get();
    CHECK(a.error == ErrorKind::auth);
    CHECK(b.error == ErrorKind::auth);
    CHECK(b.error_message.starts_with("backend down"));
    CHECK(emu.stats()["requests"] == 1);
}

TEST_CASE("llm client: unknown providers and bad requests fail as values", "[llm_client]") {
    LlmClient client(test_options());
    auto r = client.submit(ModelSpec{"gemini", "x", ""}, request_for("x")).get();
    CHECK(r.error == ErrorKind::bad_request);
    CHECK(r.error_message.find("unknown provider") != std::string::npos);
    auto z =
        client.submit(ModelSpec{"ollama", "x", "http://127.0.0.1:9"}, request_for("x", 0)).get();
    CHECK(z.error == ErrorKind::bad_request);
    CHECK_FALSE(client.backend(ModelSpec{"gemini", "x", ""}));
}

TEST_CASE("llm client: a planted key never shows in responses, reports or cache files",
          "[llm_client][secrets][emulator]") {
    const std::string key = "sk-test-PLANTED-4f1c9e2a7b";
    ::setenv("OPENAI_API_KEY", key.c_str(), 1);
    ::setenv("ANTHROPIC_API_KEY", key.c_str(), 1);
    TempDir dir("planted");
    json rules = json::array({
        {{"match", "say-auth"}, {"responses", {{{"fault", "auth"}}}}},
        {{"match", "say-500"}, {"responses", {{{"fault", "http_500"}}}}},
        {{"match", "say-bad"}, {"responses", {{{"fault", "bad_request"}}}}},
    });
    EmulatorProcess emu(script_args(dir, json{{"rules", rules}}.dump(),
                                    {"--log", (dir.path / "log.jsonl").string()}));
    auto opts = test_options(dir.path / "cache");
    LlmClient client(opts);
    std::string seen;
    for (std::string provider : {"openai", "anthropic"}) {
        for (std::string what : {"say-ok", "say-auth", "say-500", "say-bad"}) {
            auto r = client.submit(emulator_spec(emu, provider, provider + what), request_for(what))
                         .get();
            seen += r.error_message;
            for (const auto& s : r.samples) seen += s;
        }
    }
    for (const auto& row : client.report()) seen += row.model + row.down_reason;
    CHECK(seen.find("http 401") != std::string::npos);  // the failures did happen
    CHECK(seen.find(key) == std::string::npos);
    // The key did go to the server (so the scan above would have had something to find).
    CHECK(read_file(dir.path / "log.jsonl").find(key) != std::string::npos);
    int files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path / "cache")) {
        if (!f.is_regular_file()) continue;
        ++files;
        CHECK(read_file(f.path()).find(key) == std::string::npos);
    }
    CHECK(files == 2);  // the two successful answers
    ::unsetenv("OPENAI_API_KEY");
    ::unsetenv("ANTHROPIC_API_KEY");
}

TEST_CASE("llm client: report prices hosted models and leaves unknown ones unpriced",
          "[llm_client][prices][emulator]") {
    EmulatorProcess emu;
    auto opts = test_options();
    opts.prices.set("priced-model", {1000000, 0, 1000000});  // $1 per token: easy to check
    LlmClient client(opts);
    auto r = client.submit(emulator_spec(emu, "openai", "priced-model"), request_for("x")).get();
    REQUIRE(r.ok());
    auto rows = client.report();
    REQUIRE(rows.size() == 1);
    // Loopback servers are local and free whatever the table says; at a hosted URL the
    // same usage is priced by the user's row.
    REQUIRE(rows[0].cost_usd);
    CHECK(*rows[0].cost_usd == 0);
    ModelSpec hosted{"openai", "priced-model", "https://api.example.invalid/v1"};
    CHECK(opts.prices.cost(hosted, r.usage) == Approx(double(r.usage.prompt + r.usage.completion)));
}

TEST_CASE("llm client: a request's timeout starts when it is sent, not when it is queued",
          "[llm_client][timeout][emulator]") {
    TempDir dir("llm-timeout");
    // Every answer takes 100 ms; "case-slow" takes 1.5 s.
    auto script = json{{"rules", {{{"match", "case-slow"}, {"responses", {{{"fault", "slow"}, {"delay_ms", 1500}, {"answer", "late"}}}}}}},
                       {"default", "fine"}};
    EmulatorProcess emu(script_args(dir, script.dump(), {"--latency-ms", "100"}));
    auto opts = test_options();
    opts.limits.max_in_flight = 2;
    opts.limits.down_after = 2;
    opts.default_timeout = std::chrono::milliseconds(400);
    LlmClient client(opts);
    auto spec = emulator_spec(emu, "openai");

    SECTION("20 requests 2 at a time queue for about 1 s, beyond the 0.4 s timeout, and all succeed") {
        auto start = std::chrono::steady_clock::now();
        std::vector<std::future<LlmResponse>> fs;
        for (int i = 0; i < 20; ++i) fs.push_back(client.submit(spec, request_for("q" + std::to_string(i))));
        int ok = 0;
        for (auto& f : fs) {
            auto r = f.get();
            INFO(r.error_message);
            ok += r.ok();
        }
        CHECK(ok == 20);
        CHECK(ms_since(start) >= 900);  // the queue really was longer than the timeout
        CHECK_FALSE(client.report()[0].down);
    }
    SECTION("a request slower than the timeout fails as a timeout, after the timeout, once") {
        auto start = std::chrono::steady_clock::now();
        auto r = client.submit(spec, request_for("case-slow")).get();
        CHECK(r.error == ErrorKind::timeout);
        CHECK(r.error_message.find("no answer within 0.4 s of sending") != std::string::npos);
        CHECK(r.attempts == 1);  // no time left to retry
        CHECK(ms_since(start) >= 390);
        CHECK(ms_since(start) < 1400);
    }
}

TEST_CASE("llm client: the run's deadline fails what is left, and never takes a backend down",
          "[llm_client][deadline][emulator]") {
    EmulatorProcess emu({"--default-answer", "fine", "--latency-ms", "150"});
    auto opts = test_options();
    opts.limits.max_in_flight = 1;
    opts.limits.down_after = 2;
    opts.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(700);
    LlmClient client(opts);
    auto spec = emulator_spec(emu, "openai");
    std::vector<std::future<LlmResponse>> fs;
    for (int i = 0; i < 12; ++i) fs.push_back(client.submit(spec, request_for("q" + std::to_string(i))));
    int ok = 0, queued = 0;
    for (auto& f : fs) {
        auto r = f.get();
        if (r.ok()) {
            ++ok;
            continue;
        }
        CHECK(r.error == ErrorKind::timeout);
        if (r.error_message.find("deadline passed while queued") != std::string::npos) ++queued;
    }
    INFO("answered " << ok << ", expired in the queue " << queued);
    CHECK(ok >= 1);
    CHECK(ok <= 5);      // 0.7 s at 0.15 s each, one at a time
    CHECK(queued >= 3);  // more than down_after (2) failures in a row...
    auto row = client.report()[0];
    CHECK_FALSE(row.down);  // ...and the backend is not down for them
    CHECK(row.failures == 12 - ok);
}
