#include "tests/emulator/request_log.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <future>

#include "tests/emulator/test_http.hpp"

using namespace ciri::emulator;
using namespace ciri::emulator::testing;
using ciri::test::EmulatorProcess;
using nlohmann::json;

namespace {

std::vector<json> read_lines(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
}

}  // namespace

TEST_CASE("request log: one JSON line per request with prompt, status, fault, headers", "[log]") {
    auto path = std::filesystem::temp_directory_path() /
                ("ciri_emulator_log_" + std::to_string(::getpid()) + ".jsonl");
    EmulatorProcess emulator({"--log", path.string(), "--rpm", "2"});
    json openai = {{"model", "gpt-log"},
                   {"n", 3},
                   {"messages", json::array({{{"role", "system"}, {"content", "SYS"}},
                                             {{"role", "user"}, {"content", "USER"}}})}};
    post(emulator, "/v1/chat/completions", openai, {{"Authorization", "Bearer sk-openai"}});
    json anthropic = anthropic_request("USER");
    anthropic["system"] = "SYS";
    post(emulator, "/v1/messages", anthropic, anthropic_headers());
    post(emulator, "/v1/messages", anthropic, {{"anthropic-version", "2023-06-01"}});
    post(emulator, "/api/chat", openai);  // over --rpm (the 401 was not admitted)

    auto lines = read_lines(path);
    std::filesystem::remove(path);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0]["endpoint"] == "openai");
    CHECK(lines[0]["model"] == "gpt-log");
    CHECK(lines[0]["n"] == 3);
    CHECK(lines[0]["prompt"] == "SYS\nUSER");
    CHECK(lines[0]["status"] == 200);
    CHECK(lines[0]["fault"].is_null());
    CHECK(lines[0]["headers"]["Authorization"] == "Bearer sk-openai");
    CHECK(!lines[0]["headers"].contains("REMOTE_PORT"));
    CHECK(lines[0]["time"].get<std::string>().ends_with("Z"));

    CHECK(lines[1]["endpoint"] == "anthropic");
    CHECK(lines[1]["prompt"] == "SYS\nUSER");
    CHECK(lines[1]["n"] == 1);
    CHECK(lines[1]["headers"]["x-api-key"] == "test-key");
    CHECK(!lines[1]["headers"].contains("Authorization"));

    CHECK(lines[2]["status"] == 401);
    CHECK(lines[2]["model"].is_null());

    CHECK(lines[3]["endpoint"] == "ollama");
    CHECK(lines[3]["status"] == 429);
    CHECK(lines[3]["fault"] == "rpm");
}

TEST_CASE("request log: concurrent requests never interleave lines; faults are named", "[log]") {
    auto path = std::filesystem::temp_directory_path() /
                ("ciri_emulator_log2_" + std::to_string(::getpid()) + ".jsonl");
    EmulatorProcess emulator({"--log", path.string(), "--fault", "http_500:1"});
    std::vector<std::future<void>> done;
    for (int i = 0; i < 8; ++i) {
        done.push_back(std::async(std::launch::async, [&, i] {
            for (int j = 0; j < 5; ++j) {
                post(emulator, "/v1/chat/completions", openai_request(std::string(3000 + i, 'x')));
            }
        }));
    }
    for (auto& d : done) d.get();
    auto lines = read_lines(path);  // every line parses as JSON
    std::filesystem::remove(path);
    REQUIRE(lines.size() == 40);
    for (const json& line : lines) {
        CHECK(line["status"] == 500);
        CHECK(line["fault"] == "http_500");
    }
}

TEST_CASE("request log: an unwritable path stops the emulator from starting", "[log]") {
    CHECK_THROWS(EmulatorProcess({"--log", "/nonexistent-dir/x.jsonl"}));
}
