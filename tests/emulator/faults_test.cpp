#include "tests/emulator/faults.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

namespace {

// A script with one rule per fault kind, matched by "fault=<kind>" in the prompt.
std::filesystem::path fault_script() {
    json rules = json::array();
    for (FaultKind kind : kAllFaultKinds) {
        json item = {{"fault", fault_name(kind)}};
        if (kind == FaultKind::slow) item["delay_ms"] = 300;
        if (kind == FaultKind::rate_limit) item["retry_after"] = "7";
        rules.push_back({{"match", "fault=" + std::string(fault_name(kind)) + ";"},
                         {"responses", json::array({item})}});
    }
    rules.push_back(
        {{"match", "dated"},
         {"responses", json::array({{{"fault", "rate_limit"},
                                     {"retry_after", "Wed, 21 Oct 2015 07:28:00 GMT"}}})}});
    auto path = std::filesystem::temp_directory_path() /
                ("ciri_emulator_faults_" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << json{{"rules", rules}}.dump();
    return path;
}

httplib::Result ask(const EmulatorProcess& emulator, FaultKind kind, int n = 1) {
    return post(emulator, "/v1/chat/completions",
                openai_request("fault=" + std::string(fault_name(kind)) + ";", n));
}

}  // namespace

TEST_CASE("faults: KIND:RATE flags parse", "[faults]") {
    FaultRate rate = parse_fault_rate("http_503:0.25");
    CHECK(rate.kind == FaultKind::http_503);
    CHECK(rate.rate == 0.25);
    CHECK(parse_fault_rate("drop:5%").rate == Approx(0.05));
    CHECK_THROWS_WITH(parse_fault_rate("explode:0.1"), Catch::Contains("unknown fault kind"));
    CHECK_THROWS_WITH(parse_fault_rate("drop"), Catch::Contains("KIND:RATE"));
    CHECK_THROWS_WITH(parse_fault_rate("drop:1.5"), Catch::Contains("0..1"));
    CHECK_THROWS(parse_fault_rate("drop:x"));
    for (FaultKind kind : kAllFaultKinds) CHECK(parse_fault_kind(fault_name(kind)) == kind);
}

TEST_CASE("faults: every kind behaves like the provider failure it stands for", "[faults]") {
    auto script = fault_script();
    EmulatorProcess emulator({"--script", script.string()});
    std::filesystem::remove(script);

    auto limited = ask(emulator, FaultKind::rate_limit);
    REQUIRE(limited);
    CHECK(limited->status == 429);
    CHECK(limited->get_header_value("Retry-After") == "7");
    CHECK(json::parse(limited->body)["error"]["code"] == "rate_limit_exceeded");
    auto dated = post(emulator, "/v1/chat/completions", openai_request("dated"));
    CHECK(dated->get_header_value("Retry-After") == "Wed, 21 Oct 2015 07:28:00 GMT");

    CHECK(ask(emulator, FaultKind::http_500)->status == 500);
    CHECK(ask(emulator, FaultKind::http_503)->status == 503);
    CHECK(ask(emulator, FaultKind::auth)->status == 401);
    CHECK(ask(emulator, FaultKind::bad_request)->status == 400);
    CHECK(json::parse(ask(emulator, FaultKind::http_500)->body).contains("error"));

    auto dropped = ask(emulator, FaultKind::drop);
    CHECK(!dropped);  // the connection closed with no response at all

    auto truncated = ask(emulator, FaultKind::truncated);
    REQUIRE(truncated);
    CHECK(truncated->status == 200);
    CHECK(truncated->body.starts_with("{\""));
    CHECK(json::parse(truncated->body, nullptr, false).is_discarded());

    auto malformed = ask(emulator, FaultKind::malformed_json);
    REQUIRE(malformed);
    CHECK(malformed->status == 200);
    CHECK(json::parse(malformed->body, nullptr, false).is_discarded());

    auto started = std::chrono::steady_clock::now();
    auto slow = ask(emulator, FaultKind::slow);
    auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE(slow);
    CHECK(slow->status == 200);
    CHECK(waited >= std::chrono::milliseconds(300));
    CHECK(openai_content(slow).find("\"hasError\": false") != std::string::npos);

    auto broken = ask(emulator, FaultKind::schema_break);
    REQUIRE(broken);
    CHECK(broken->status == 200);
    std::string broken_answer = openai_content(broken);
    CHECK(broken_answer.find("hasError") != std::string::npos);
    CHECK(broken_answer.find("errParameter") == std::string::npos);

    auto hallucinated = ask(emulator, FaultKind::hallucinate);
    REQUIRE(hallucinated);
    CHECK(hallucinated->status == 200);
    CHECK(openai_content(hallucinated).find("\"ciri.emulator.no_such_parameter\"") !=
          std::string::npos);

    json faults = emulator.stats()["faults"];
    CHECK(faults["rate_limit"] == 2);
    CHECK(faults["http_500"] == 2);
    for (const char* kind : {"http_503", "auth", "bad_request", "drop", "truncated",
                             "malformed_json", "slow", "schema_break", "hallucinate"}) {
        CHECK(faults[kind] == 1);
    }
    CHECK(emulator.stats()["samples"] == 3);  // slow, schema_break, hallucinate answered
}

TEST_CASE("faults: other wire formats use their own error bodies", "[faults]") {
    EmulatorProcess emulator({"--fault", "http_503:1"});
    auto anthropic = post(emulator, "/v1/messages", anthropic_request("q"), anthropic_headers());
    REQUIRE(anthropic);
    CHECK(anthropic->status == 503);
    CHECK(json::parse(anthropic->body)["error"]["type"] == "overloaded_error");
    auto ollama = post(
        emulator, "/api/chat",
        json{{"model", "m"}, {"messages", json::array({{{"role", "user"}, {"content", "q"}}})}});
    REQUIRE(ollama);
    CHECK(ollama->status == 503);
    CHECK(json::parse(ollama->body)["error"].is_string());
}

TEST_CASE("faults: random faults follow their rate and the seed", "[faults]") {
    auto statuses = [](const std::string& seed) {
        EmulatorProcess emulator({"--fault", "http_500:0.5", "--seed", seed});
        std::string out;
        for (int i = 0; i < 40; ++i) {
            out += ask(emulator, FaultKind::http_503)->status == 500 ? 'x' : '.';
        }
        CHECK(emulator.stats()["faults"]["http_500"] == std::count(out.begin(), out.end(), 'x'));
        return out;
    };
    std::string first = statuses("7");
    CHECK(first == statuses("7"));
    auto failures = std::count(first.begin(), first.end(), 'x');
    CHECK(failures > 5);
    CHECK(failures < 35);

    SECTION("rate 1 spoils every sample, rate 0 none") {
        EmulatorProcess emulator({"--fault", "hallucinate:1", "--fault", "drop:0"});
        auto res = post(emulator, "/v1/chat/completions", openai_request("q", 3));
        REQUIRE(res);
        for (int i = 0; i < 3; ++i) {
            CHECK(openai_content(res, i).find(std::string(kHallucinatedParameter)) !=
                  std::string::npos);
        }
        CHECK(emulator.stats()["faults"]["hallucinate"] == 3);
    }
}

TEST_CASE("faults: a bad --fault flag stops the emulator from starting", "[faults]") {
    CHECK_THROWS_WITH(EmulatorProcess({"--fault", "explode:1"}),
                      Catch::Contains("exited before listening"));
}
