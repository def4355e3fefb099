#include <catch2/catch.hpp>
#include <cstdlib>

#include "tests/backends/llm_test_env.hpp"
#include "tests/cli/cli_run.hpp"

using namespace ciri::test;
using nlohmann::json;

TEST_CASE("ask: prints every sample, latency, usage and cost", "[cli][ask][emulator]") {
    TempDir dir("ask");
    EmulatorProcess emu({"--default-answer", "the answer"});
    auto prompt = write_file(dir.path / "prompt.txt", "is this config right?");
    auto r = run_ciri({"ask", "--model", "openai/m@" + emu.base_url() + "/v1", "--samples", "2",
                       "--no-cache", prompt.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("--- sample 1/2 ---\nthe answer\n--- sample 2/2 ---\nthe answer\n") == 0);
    CHECK(r.out.find("latency: ") != std::string::npos);
    CHECK(r.out.find("attempts: 1") != std::string::npos);
    CHECK(r.out.find("prompt tokens") != std::string::npos);
    CHECK(r.out.find("cost: $0 (local model)") != std::string::npos);
    CHECK(emu.stats()["samples"] == 2);
}

TEST_CASE("ask: the second run is answered from the cache; --offline misses fail",
          "[cli][ask][cache][emulator]") {
    TempDir dir("ask-cache");
    EmulatorProcess emu;
    auto prompt = write_file(dir.path / "prompt.txt", "cache this");
    auto other = write_file(dir.path / "other.txt", "never asked");
    std::string model = "ollama/q@" + emu.base_url();
    std::string cache = (dir.path / "cache").string();
    auto a = run_ciri({"ask", "-m", model, "--cache-dir", cache, prompt.string()});
    REQUIRE(a.code == 0);
    auto b = run_ciri({"ask", "-m", model, "--cache-dir", cache, "--offline", prompt.string()});
    REQUIRE(b.code == 0);
    CHECK(b.out.find("answered from the cache") != std::string::npos);
    CHECK(b.out.find("cost: $0 (cached)") != std::string::npos);
    CHECK(emu.stats()["requests"] == 1);
    auto c = run_ciri({"ask", "-m", model, "--cache-dir", cache, "--offline", other.string()});
    CHECK(c.code == 3);
    CHECK(c.err.find("offline_miss") != std::string::npos);
    CHECK(emu.stats()["requests"] == 1);
}

TEST_CASE("ask: usage errors and backend failures", "[cli][ask][emulator]") {
    TempDir dir("ask-errors");
    auto prompt = write_file(dir.path / "prompt.txt", "x");
    auto bad_spec = run_ciri({"ask", "--model", "gpt-4o", prompt.string()});
    CHECK(bad_spec.code == 2);
    CHECK(bad_spec.err.find("no provider") != std::string::npos);
    auto unreadable =
        run_ciri({"ask", "--model", "ollama/x@http://127.0.0.1:9", (dir.path / "nope").string()});
    CHECK(unreadable.code == 2);
    auto both = run_ciri({"ask", "-m", "ollama/x", "--no-cache", "--offline", prompt.string()});
    CHECK(both.code == 2);

    EmulatorProcess emu({"--fault", "http_503:1"});
    auto r = run_ciri({"ask", "-m", "openai/m@" + emu.base_url() + "/v1", "--no-cache", "--timeout",
                       "20", prompt.string()});
    CHECK(r.code == 3);
    CHECK(r.err.find("http_5xx") != std::string::npos);
    CHECK(r.err.find("after 4 attempts") != std::string::npos);
}

TEST_CASE("ask: a planted key appears in no output, error or cache file of the ciri binary",
          "[cli][ask][secrets][emulator]") {
    TempDir dir("ask-planted");
    const std::string key = "sk-test-PLANTED-0d2f7c61aa";
    json rules =
        json::array({{{"match", "fail-auth"}, {"responses", {{{"fault", "auth"}}}}},
                     {{"match", "fail-400"}, {"responses", {{{"fault", "bad_request"}}}}}});
    EmulatorProcess emu(script_args(dir, json{{"rules", rules}}.dump(),
                                    {"--log", (dir.path / "log.jsonl").string()}));
    std::string env = "OPENAI_API_KEY=" + key + " ANTHROPIC_API_KEY=" + key +
                      " XDG_CACHE_HOME=" + (dir.path / "xdg").string();
    std::string all;
    int failures = 0;
    for (std::string text : {"fine", "fail-auth", "fail-400"}) {
        auto prompt = write_file(dir.path / (text + ".txt"), text);
        for (std::string model :
             {"openai/m@" + emu.base_url() + "/v1", "anthropic/c@" + emu.base_url()}) {
            auto r = run_ciri_binary(env, {"ask", "-m", model, prompt.string()}, dir.path);
            failures += r.code != 0;
            all += r.out + r.err;
        }
    }
    auto d = run_ciri_binary(env,
                             {"doctor", "-m", "openai/m@" + emu.base_url() + "/v1", "-m",
                              "anthropic/c@" + emu.base_url()},
                             dir.path);
    all += d.out + d.err;
    CHECK(failures == 4);
    CHECK(all.find("http 401") != std::string::npos);
    CHECK(all.find(key) == std::string::npos);
    CHECK(read_file(dir.path / "log.jsonl").find(key) !=
          std::string::npos);  // it was sent, to the server only
    int files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path / "xdg")) {
        if (!f.is_regular_file()) continue;
        ++files;
        CHECK(read_file(f.path()).find(key) == std::string::npos);
    }
    CHECK(files == 2);
}
