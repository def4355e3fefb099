#include "ciri/backends/http_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <thread>

#include "ciri/backends/llm_client.hpp"
#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// An RFC 7231 date `seconds` from now, as a Retry-After header may carry it.
std::string http_date_in(int seconds) {
    std::time_t t = std::time(nullptr) + seconds;
    char buf[64];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

// A loopback port nobody listens on.
int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

HttpRequest chat(const EmulatorProcess& emu, const std::string& text = "hello") {
    HttpRequest r;
    r.url = emu.base_url() + "/v1/chat/completions";
    r.headers = {"Content-Type: application/json"};
    r.body = json{{"model", "m"}, {"messages", {{{"role", "user"}, {"content", text}}}}}.dump();
    return r;
}

}  // namespace

TEST_CASE("http: each fault kind ends in the right retry or give-up outcome",
          "[http][faults][emulator]") {
    TempDir dir("faults");
    json rules = json::array();
    auto rule = [&](const std::string& match, json responses) {
        rules.push_back({{"match", match}, {"responses", std::move(responses)}});
    };
    rule("case-always-500", {{{"fault", "http_500"}}});
    rule("case-once-503", {{{"fault", "http_503"}}, {{"answer", "A503"}}});
    rule("case-always-429", {{{"fault", "rate_limit"}, {"retry_after", "1"}}});
    rule("case-always-drop", {{{"fault", "drop"}}});
    rule("case-once-drop", {{{"fault", "drop"}}, {{"answer", "Adrop"}}});
    rule("case-always-truncated", {{{"fault", "truncated"}}});
    rule("case-once-malformed", {{{"fault", "malformed_json"}}, {{"answer", "Amalformed"}}});
    rule("case-always-malformed", {{{"fault", "malformed_json"}}});
    rule("case-slow", {{{"fault", "slow"}, {"delay_ms", 3000}, {"answer", "late"}}});
    rule("case-auth", {{{"fault", "auth"}}});
    rule("case-bad-request", {{{"fault", "bad_request"}}});
    rule("case-schema-break", {{{"fault", "schema_break"}}});
    rule("case-hallucinate", {{{"fault", "hallucinate"}}});
    EmulatorProcess emu(script_args(dir, json{{"rules", rules}}.dump()));
    LlmClient client(test_options());  // 3 attempts, 20-100 ms backoff

    // Each case has its own model, so its own lane: an auth failure downs only that one.
    auto run = [&](const std::string& name, Clock::duration timeout = std::chrono::seconds(10)) {
        emu.reset();
        LlmRequest req = request_for("please answer " + name);
        req.deadline = Clock::now() + timeout;
        auto r = client.submit(emulator_spec(emu, "openai", name), req).get();
        return std::pair{r, emu.stats()["requests"].get<int>()};
    };

    SECTION("5xx: retried, then given up") {
        auto [r, sent] = run("case-always-500");
        CHECK(r.error == ErrorKind::http_5xx);
        CHECK(r.error_message.find("http 500") != std::string::npos);
        CHECK(r.attempts == 3);
        CHECK(sent == 3);
        auto [ok, sent2] = run("case-once-503");
        CHECK(ok.ok());
        CHECK(ok.samples == std::vector<std::string>{"A503"});
        CHECK(ok.attempts == 2);
        CHECK(sent2 == 2);
    }
    SECTION("429: retried after Retry-After, then given up") {
        auto start = Clock::now();
        auto [r, sent] = run("case-always-429");
        CHECK(r.error == ErrorKind::rate_limited);
        CHECK(r.attempts == 3);
        CHECK(sent == 3);
        CHECK(ms_since(start) >= 2000);  // two waits of Retry-After: 1
    }
    SECTION("dropped connection: network error, retried") {
        auto [r, sent] = run("case-always-drop");
        CHECK(r.error == ErrorKind::network);
        CHECK(r.attempts == 3);
        auto [ok, sent2] = run("case-once-drop");
        CHECK(ok.ok());
        CHECK(ok.samples == std::vector<std::string>{"Adrop"});
        CHECK(ok.attempts == 2);
    }
    SECTION("truncated and malformed bodies: bad_response, retried") {
        auto [t, sent] = run("case-always-truncated");
        CHECK(t.error == ErrorKind::bad_response);
        CHECK(t.attempts == 3);
        CHECK(sent == 3);
        auto [m, sent2] = run("case-always-malformed");
        CHECK(m.error == ErrorKind::bad_response);
        CHECK(m.attempts == 3);
        auto [ok, sent3] = run("case-once-malformed");
        CHECK(ok.ok());
        CHECK(ok.samples == std::vector<std::string>{"Amalformed"});
        CHECK(ok.attempts == 2);
    }
    SECTION("slower than the deadline: timeout, no retry past it") {
        auto start = Clock::now();
        auto [r, sent] = run("case-slow", std::chrono::milliseconds(500));
        CHECK(r.error == ErrorKind::timeout);
        CHECK(r.attempts == 1);
        double ms = ms_since(start);
        CHECK(ms >= 450);
        CHECK(ms < 2500);
    }
    SECTION("401 and 400: not retried") {
        auto [a, sent] = run("case-auth");
        CHECK(a.error == ErrorKind::auth);
        CHECK(a.attempts == 1);
        CHECK(sent == 1);
        CHECK(a.error_message.find("http 401") != std::string::npos);
        auto [b, sent2] = run("case-bad-request");
        CHECK(b.error == ErrorKind::bad_request);
        CHECK(b.attempts == 1);
        CHECK(sent2 == 1);
    }
    SECTION("schema breaks and hallucinations are answers: returned as they are, not retried") {
        auto [s, sent] = run("case-schema-break");
        REQUIRE(s.ok());
        CHECK(s.attempts == 1);
        CHECK(s.samples.at(0).find("errParameter") == std::string::npos);
        auto [h, sent2] = run("case-hallucinate");
        REQUIRE(h.ok());
        CHECK(h.samples.at(0).find("ciri.emulator.no_such_parameter") != std::string::npos);
    }
}

TEST_CASE("http: Retry-After is honoured in seconds and as an HTTP date",
          "[http][retry_after][emulator]") {
    TempDir dir("retry-after");
    json rules = json::array({
        {{"match", "wait-seconds"},
         {"responses", {{{"fault", "rate_limit"}, {"retry_after", "2"}}, {{"answer", "S"}}}}},
        {{"match", "wait-date"},
         {"responses",
          {{{"fault", "rate_limit"}, {"retry_after", http_date_in(4)}}, {{"answer", "D"}}}}},
    });
    EmulatorProcess emu(script_args(dir, json{{"rules", rules}}.dump()));
    LlmClient client(test_options());  // backoff alone would wait at most 100 ms
    auto start = Clock::now();
    auto s = client.submit(emulator_spec(emu, "openai", "a"), request_for("wait-seconds")).get();
    double s_ms = ms_since(start);
    REQUIRE(s.ok());
    CHECK(s.attempts == 2);
    CHECK(s_ms >= 2000);
    CHECK(s_ms < 4000);
    start = Clock::now();
    auto d = client.submit(emulator_spec(emu, "openai", "b"), request_for("wait-date")).get();
    double d_ms = ms_since(start);
    REQUIRE(d.ok());
    CHECK(d.attempts == 2);
    CHECK(d_ms >= 1000);  // the date is whole seconds: 4 s after writing the script, minus startup
    CHECK(d_ms < 6000);
}

TEST_CASE("http: a Retry-After beyond the deadline gives up at once",
          "[http][retry_after][emulator]") {
    TempDir dir("retry-after-long");
    EmulatorProcess emu(
        script_args(dir, one_rule_script("x", {{{"fault", "rate_limit"}, {"retry_after", "30"}}})));
    LlmClient client(test_options());
    LlmRequest req = request_for("x");
    req.deadline = Clock::now() + std::chrono::seconds(3);
    auto start = Clock::now();
    auto r = client.submit(emulator_spec(emu, "openai"), req).get();
    CHECK(r.error == ErrorKind::rate_limited);
    CHECK(r.attempts == 1);
    CHECK(ms_since(start) < 1500);
    CHECK(r.error_message.find("retry-after") != std::string::npos);
}

TEST_CASE("http: the in-flight limit bounds concurrency", "[http][limits][emulator]") {
    EmulatorProcess emu({"--latency-ms", "200"});
    HttpClient http;
    auto timed = [&](int limit) {
        int lane = http.add_lane("l" + std::to_string(limit), {.max_in_flight = limit});
        auto start = Clock::now();
        std::vector<std::future<HttpResult>> fs;
        for (int i = 0; i < 6; ++i)
            fs.push_back(http.submit(lane, chat(emu), Clock::now() + std::chrono::seconds(10)));
        for (auto& f : fs) CHECK(f.get().status == 200);
        return ms_since(start);
    };
    double two = timed(2);
    double six = timed(6);
    CHECK(two >= 590);  // three rounds of 200 ms
    CHECK(six < 550);   // one round
}

// libcurl's PIPEWAIT would hold the second request until the first reply said whether the
// connection multiplexes, which a cleartext HTTP/1.1 connection never does: a fresh client's
// every request waited for its first one. Ordering evidence, with a 3 s margin.
TEST_CASE("http: over cleartext HTTP no request waits for another's reply", "[http][limits][emulator]") {
    TempDir dir("pipewait");
    EmulatorProcess emu(script_args(dir, one_rule_script("slow-one", {{{"fault", "slow"}, {"delay_ms", 3000}, {"answer", "ok"}}})));
    HttpClient http;
    int lane = http.add_lane("l", {.max_in_flight = 4});
    std::mutex mu;
    std::vector<std::string> ended;
    std::vector<std::future<void>> waits;
    for (std::string text : {"slow-one", "fast-one"}) {
        auto done = std::make_shared<std::promise<void>>();
        waits.push_back(done->get_future());
        http.submit(lane, chat(emu, text), Clock::now() + std::chrono::seconds(20), 0,
                    [](const HttpResult&) { return std::string(); },
                    [&, text, done](HttpResult r) {
                        CHECK(r.status == 200);
                        std::lock_guard lock(mu);
                        ended.push_back(text);
                        done->set_value();
                    });
    }
    for (auto& w : waits) w.get();
    CHECK(ended == std::vector<std::string>{"fast-one", "slow-one"});
}

TEST_CASE("http: requests- and tokens-per-minute limits hold requests back",
          "[http][limits][emulator]") {
    EmulatorProcess emu;
    HttpClient http;
    int rpm = http.add_lane("rpm", {.requests_per_minute = 2});
    std::vector<std::future<HttpResult>> fs;
    for (int i = 0; i < 3; ++i)
        fs.push_back(http.submit(rpm, chat(emu), Clock::now() + std::chrono::milliseconds(800)));
    int ok = 0, timed_out = 0;
    for (auto& f : fs) {
        auto r = f.get();
        if (r.status == 200) ++ok;
        if (r.error == ErrorKind::timeout) ++timed_out;
    }
    CHECK(ok == 2);
    CHECK(timed_out == 1);

    int tpm = http.add_lane("tpm", {.tokens_per_minute = 100});
    auto a = http.submit(tpm, chat(emu), Clock::now() + std::chrono::milliseconds(800), 60);
    auto b = http.submit(tpm, chat(emu), Clock::now() + std::chrono::milliseconds(800), 60);
    CHECK(a.get().status == 200);
    auto rb = b.get();
    CHECK(rb.error == ErrorKind::timeout);
    CHECK(rb.attempts == 0);
    CHECK(emu.stats()["requests"] == 3);
}

TEST_CASE("http: refused connections are network errors, 404 is not retried, user agent is sent",
          "[http][emulator]") {
    TempDir dir("http-misc");
    EmulatorProcess emu({"--log", (dir.path / "log.jsonl").string()});
    HttpClient http;
    int lane = http.add_lane(
        "x", {.retry = {.max_attempts = 2, .base_delay = std::chrono::milliseconds(10)}});
    HttpRequest refused = chat(emu);
    refused.url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/chat/completions";
    auto r = http.submit(lane, refused, Clock::now() + std::chrono::seconds(5)).get();
    CHECK(r.error == ErrorKind::network);
    CHECK(r.attempts == 2);
    CHECK(r.error_message.find("network error") != std::string::npos);

    HttpRequest missing = chat(emu);
    missing.url = emu.base_url() + "/no/such/endpoint";
    auto m = http.submit(lane, missing, Clock::now() + std::chrono::seconds(5)).get();
    CHECK(m.status == 404);
    CHECK(m.error == ErrorKind::bad_request);
    CHECK(m.attempts == 1);

    auto ok = http.submit(lane, chat(emu), Clock::now() + std::chrono::seconds(5)).get();
    CHECK(ok.status == 200);
    CHECK(read_file(dir.path / "log.jsonl").find(std::string("ciri/") + CIRI_VERSION) !=
          std::string::npos);
    auto stats = http.stats(lane);
    CHECK(stats.requests == 3);
    CHECK(stats.attempts == 4);
    CHECK(stats.retries == 1);
}

TEST_CASE("http: many threads submitting at once all get their answers",
          "[http][threads][emulator]") {
    EmulatorProcess emu({"--latency-ms", "5"});
    auto opts = test_options();
    opts.limits.max_in_flight = 8;
    LlmClient client(opts);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                auto r =
                    client
                        .submit(emulator_spec(emu, "openai"),
                                request_for("t" + std::to_string(t) + " i" + std::to_string(i)))
                        .get();
                if (r.ok() && r.samples.size() == 1) ++ok;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == 200);
    CHECK(emu.stats()["requests"] == 200);
    auto rows = client.report();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].requests == 200);
    CHECK(rows[0].http_requests == 200);
    CHECK(rows[0].failures == 0);
}
