#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "ciri/backends/llm_client.hpp"
#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;

namespace {

std::string script(const TempDir& dir, const std::string& name, const std::string& body) {
    auto path = write_file(dir.path / name, "#!/bin/sh\n" + body);
    ::chmod(path.c_str(), 0755);
    return path.string();
}

}  // namespace

TEST_CASE("command: prompt on stdin, answer on stdout, one run per sample", "[command]") {
    TempDir dir("command");
    auto prog = script(dir, "llm.sh",
                       "wc -c | tr -d ' \\n'; printf ' bytes at T=%s' \"$CIRI_TEMPERATURE\"\n");
    LlmClient client(test_options());
    LlmRequest req = request_for("12345", 3);
    req.temperature = 0.5;
    auto r = client.submit(ModelSpec{"command", prog, ""}, req).get();
    INFO(r.error_message);
    REQUIRE(r.ok());
    REQUIRE(r.samples.size() == 3);
    // system + blank line + prefix + body
    std::string expected =
        std::to_string(req.prompt.system.size() + 2 + req.prompt.user().size()) + " bytes at T=0.5";
    for (const auto& s : r.samples) CHECK(s == expected);
    CHECK(r.attempts == 3);
}

TEST_CASE("command: a program that stops reading early does not kill ciri", "[command]") {
    TempDir dir("command-epipe");
    auto prog = script(dir, "head.sh", "head -c 10 >/dev/null; echo early\n");
    LlmClient client(test_options());
    LlmRequest req = request_for(std::string(4 << 20, 'x'));  // far more than a pipe buffer
    auto r = client.submit(ModelSpec{"command", prog, ""}, req).get();
    INFO(r.error_message);
    REQUIRE(r.ok());
    CHECK(r.samples.at(0) == "early\n");
}

TEST_CASE("command: timeout, failure exit, and a missing program", "[command]") {
    TempDir dir("command-fail");
    LlmClient client(test_options());
    auto slow = script(dir, "slow.sh", "sleep 5\n");
    LlmRequest req = request_for("x");
    auto start = std::chrono::steady_clock::now();
    req.deadline = start + std::chrono::milliseconds(300);
    auto r = client.submit(ModelSpec{"command", slow, ""}, req).get();
    CHECK(r.error == ErrorKind::timeout);
    CHECK(ms_since(start) < 3000);

    auto bad = script(dir, "bad.sh", "echo 'model not loaded' >&2; exit 3\n");
    auto f = client.submit(ModelSpec{"command", bad, ""}, request_for("x")).get();
    CHECK(f.error == ErrorKind::bad_response);
    CHECK(f.error_message.find("status 3") != std::string::npos);
    CHECK(f.error_message.find("model not loaded") != std::string::npos);

    auto missing =
        client.submit(ModelSpec{"command", (dir.path / "nope").string(), ""}, request_for("x"))
            .get();
    CHECK(missing.error == ErrorKind::bad_request);
    CHECK(missing.error_message.find("not an executable") != std::string::npos);
    auto relative = client.submit(ModelSpec{"command", "llm.sh", ""}, request_for("x")).get();
    CHECK(relative.error == ErrorKind::bad_request);
}

TEST_CASE("command: runs in parallel up to the in-flight limit", "[command]") {
    TempDir dir("command-par");
    auto prog = script(dir, "nap.sh", "cat >/dev/null; sleep 0.3; echo ok\n");
    auto opts = test_options();
    opts.limits.max_in_flight = 4;
    LlmClient client(opts);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::future<LlmResponse>> fs;
    for (int i = 0; i < 8; ++i)
        fs.push_back(client.submit(ModelSpec{"command", prog, ""}, request_for("x")));
    for (auto& f : fs) CHECK(f.get().ok());
    double ms = ms_since(start);
    CHECK(ms >= 550);  // 8 runs, 4 at a time: two rounds of 300 ms
    CHECK(ms < 2000);  // but not one after another (2400 ms)
}
