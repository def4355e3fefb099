#include "ciri/backends/response_cache.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "tests/backends/llm_test_env.hpp"

using namespace ciri;
using namespace ciri::test;

TEST_CASE("cache: the key covers model, base url, parameters and prompt, not the deadline",
          "[cache]") {
    ModelSpec spec{"openai", "m", "http://127.0.0.1:1/v1"};
    LlmRequest req = request_for("body");
    std::string k = ResponseCache::key(spec, req);
    CHECK(k.size() == 64);
    CHECK(ResponseCache::key(spec, req) == k);
    LlmRequest later = req;
    later.deadline = std::chrono::steady_clock::now();
    CHECK(ResponseCache::key(spec, later) == k);
    auto differs = [&](auto change) {
        ModelSpec s = spec;
        LlmRequest r = req;
        change(s, r);
        return ResponseCache::key(s, r) != k;
    };
    CHECK(differs([](ModelSpec& s, LlmRequest&) { s.provider = "ollama"; }));
    CHECK(differs([](ModelSpec& s, LlmRequest&) { s.model = "m2"; }));
    CHECK(differs([](ModelSpec& s, LlmRequest&) { s.base_url = "http://127.0.0.1:2/v1"; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.samples = 2; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.temperature = 0.3; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.max_tokens = 7; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.stop = {"x"}; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.json_mode = true; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.prompt.system += "!"; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.prompt.prefix += "!"; }));
    CHECK(differs([](ModelSpec&, LlmRequest& r) { r.prompt.body += "!"; }));
    // Moving text between prefix and body changes the request a provider caches, so the key too.
    CHECK(differs([](ModelSpec&, LlmRequest& r) {
        r.prompt.body = r.prompt.prefix + r.prompt.body, r.prompt.prefix.clear();
    }));
}

TEST_CASE("cache: store and load round-trip; damaged entries are misses", "[cache]") {
    TempDir dir("cache-unit");
    ResponseCache cache(dir.path);
    LlmResponse r;
    r.samples = {"a", "b\n\"quoted\""};
    r.usage = {.prompt = 10, .completion = 3, .cached_prompt = 4};
    std::string key(64, 'a');
    CHECK_FALSE(cache.load(key));
    REQUIRE(cache.store(key, r));
    auto back = cache.load(key);
    REQUIRE(back);
    CHECK(back->samples == r.samples);
    CHECK(back->usage.prompt == 10);
    CHECK(back->usage.cached_prompt == 4);
    CHECK(back->cached);
    CHECK(back->attempts == 0);
    CHECK(cache.path_of(key) == dir.path / "aa" / (key + ".json"));
    write_file(cache.path_of(key), "{\"format\":1,\"samples\":[\"cut");
    CHECK_FALSE(cache.load(key));
    // No temporary files are left behind.
    int files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path))
        files += f.is_regular_file();
    CHECK(files == 1);
}

TEST_CASE("cache: default dir follows XDG_CACHE_HOME, else HOME", "[cache]") {
    const char* old_xdg = std::getenv("XDG_CACHE_HOME");
    std::string saved = old_xdg ? old_xdg : "";
    ::setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1);
    CHECK(ResponseCache::default_dir() == std::filesystem::path("/tmp/xdg-test/ciri"));
    ::unsetenv("XDG_CACHE_HOME");
    if (const char* home = std::getenv("HOME"))
        CHECK(ResponseCache::default_dir() == std::filesystem::path(home) / ".cache/ciri");
    if (old_xdg) ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
}

TEST_CASE("cache: concurrent writers of one key, in threads and processes, leave one whole entry",
          "[cache]") {
    TempDir dir("cache-race");
    ResponseCache cache(dir.path);
    std::string key(64, 'c');
    auto writer = [&](int who) {
        LlmResponse r;
        r.samples = {std::string(200000, static_cast<char>('a' + who))};
        for (int i = 0; i < 20; ++i) REQUIRE(cache.store(key, r));
    };
    std::vector<pid_t> children;
    for (int p = 0; p < 3; ++p) {
        pid_t pid = ::fork();
        if (pid == 0) {
            LlmResponse r;
            r.samples = {std::string(200000, static_cast<char>('k' + p))};
            bool ok = true;
            for (int i = 0; i < 20; ++i) ok = ok && cache.store(key, r).has_value();
            ::_exit(ok ? 0 : 1);
        }
        children.push_back(pid);
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back(writer, t);
    // Readers during the storm see a whole entry or none, never a torn one.
    int torn = 0;
    for (int i = 0; i < 200; ++i) {
        // Entries are only ever replaced whole: one that was there before the load must load.
        // (Asked after the load, a first entry written meanwhile made a miss look torn.)
        bool was_there = std::filesystem::exists(cache.path_of(key));
        auto got = cache.load(key);
        if (!got && was_there) ++torn;
        if (got) {
            const auto& s = got->samples.at(0);
            if (s.size() != 200000 || s.find_first_not_of(s[0]) != std::string::npos) ++torn;
        }
    }
    for (auto& t : threads) t.join();
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    CHECK(torn == 0);
    REQUIRE(cache.load(key));
    int files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path))
        files += f.is_regular_file();
    CHECK(files == 1);
}

TEST_CASE("cache: a hit sends no request; --offline misses are errors; no-cache always asks",
          "[cache][emulator]") {
    TempDir dir("cache-e2e");
    EmulatorProcess emu;
    auto spec = emulator_spec(emu, "openai");
    auto opts = test_options(dir.path);
    {
        LlmClient client(opts);
        auto first = client.submit(spec, request_for("cache me", 2)).get();
        REQUIRE(first.ok());
        CHECK_FALSE(first.cached);
        CHECK(emu.stats()["requests"] == 1);
    }
    {
        LlmClient client(opts);  // a new run reads what the last one stored
        auto again = client.submit(spec, request_for("cache me", 2)).get();
        REQUIRE(again.ok());
        CHECK(again.cached);
        CHECK(again.attempts == 0);
        CHECK(again.samples.size() == 2);
        CHECK(again.usage.prompt > 0);  // as recorded when it was fetched
        CHECK(emu.stats()["requests"] == 1);
        auto rows = client.report();
        CHECK(rows.at(0).cache_hits == 1);
        CHECK(rows.at(0).usage.prompt == 0);  // nothing billed in this run
    }
    {
        auto off = opts;
        off.cache_mode = CacheMode::offline;
        LlmClient client(off);
        CHECK(client.submit(spec, request_for("cache me", 2)).get().cached);
        auto miss = client.submit(spec, request_for("never asked", 2)).get();
        CHECK(miss.error == ErrorKind::offline_miss);
        CHECK(miss.error_message.find("offline") != std::string::npos);
        CHECK(emu.stats()["requests"] == 1);
    }
    {
        auto none = opts;
        none.cache_mode = CacheMode::no_cache;
        LlmClient client(none);
        auto fresh = client.submit(spec, request_for("cache me", 2)).get();
        CHECK_FALSE(fresh.cached);
        CHECK(emu.stats()["requests"] == 2);
    }
    // Failures are not cached.
    EmulatorProcess broken({"--fault", "http_500:1"});
    LlmClient client(opts);
    CHECK_FALSE(client.submit(emulator_spec(broken, "openai"), request_for("fails")).get().ok());
    CHECK_FALSE(client.submit(emulator_spec(broken, "openai"), request_for("fails")).get().cached);
}

TEST_CASE("cache: an entry of any wrong shape is a miss, never an exception", "[cache]") {
    TempDir dir("cache-corrupt");
    ResponseCache cache(dir.path);
    std::string key(64, 'c');
    const char* corrupt[] = {
        "not json at all",
        "",
        "[1,2,3]",                                             // JSON of the wrong type
        "\"a string\"",
        "null",
        "{\"format\":\"1\",\"samples\":[\"a\"]}",             // fields of the wrong type
        "{\"format\":1.5,\"samples\":[\"a\"]}",
        "{\"format\":1,\"samples\":\"a\"}",
        "{\"format\":1,\"samples\":[1]}",
        "{\"format\":1,\"samples\":[\"a\"],\"usage\":[1]}",
        "{\"format\":1,\"samples\":[\"a\"],\"usage\":{\"prompt\":\"10\"}}",
        "{\"format\":1,\"samples\":[\"a\"],\"usage\":{\"completion\":-3}}",
        "{\"format\":1,\"samples\":[\"a\"],\"usage\":{\"cached_prompt\":null}}",
        "{\"samples\":[\"a\"]}",
    };
    for (const char* text : corrupt) {
        INFO(text);
        write_file(cache.path_of(key), text);
        CHECK_NOTHROW(cache.load(key));
        CHECK_FALSE(cache.load(key));
    }
    write_file(cache.path_of(key), "{\"format\":1,\"samples\":[\"a\"],\"usage\":{\"prompt\":7}}");
    auto ok = cache.load(key);
    REQUIRE(ok);
    CHECK(ok->usage.prompt == 7);
}

TEST_CASE("cache: a mistyped entry is a miss that is asked again and rewritten; offline it is a miss",
          "[cache][emulator]") {
    TempDir dir("cache-rewrite");
    EmulatorProcess emu;
    auto spec = emulator_spec(emu, "openai");
    auto opts = test_options(dir.path);
    ResponseCache cache(opts.cache_dir);
    std::string key = ResponseCache::key(spec, request_for("cache me", 2));
    write_file(cache.path_of(key), "{\"format\":\"one\",\"samples\":{}}");
    {
        auto off = opts;
        off.cache_mode = CacheMode::offline;
        LlmClient client(off);
        auto miss = client.submit(spec, request_for("cache me", 2)).get();
        CHECK(miss.error == ErrorKind::offline_miss);
        CHECK(emu.stats()["requests"] == 0);
    }
    {
        LlmClient client(opts);
        auto fresh = client.submit(spec, request_for("cache me", 2)).get();
        REQUIRE(fresh.ok());
        CHECK_FALSE(fresh.cached);
        CHECK(emu.stats()["requests"] == 1);
    }
    auto rewritten = cache.load(key);
    REQUIRE(rewritten);
    CHECK(rewritten->samples.size() == 2);
}
