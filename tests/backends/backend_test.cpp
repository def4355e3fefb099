#include "ciri/backends/backend.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

TEST_CASE("backend registry: every provider builds, unknown ones are refused", "[backend]") {
    std::vector<std::string> names;
    for (const auto& info : ciri::backends()) names.emplace_back(info.provider);
    for (const char* p : {"openai", "anthropic", "ollama", "command"})
        CHECK(std::ranges::find(names, p) != names.end());
    for (const char* p : {"openai", "anthropic", "ollama"}) {
        auto b = ciri::make_backend({p, "m", "http://127.0.0.1:9/x"});
        REQUIRE(b);
        CHECK((*b)->spec().provider == p);
        CHECK((*b)->has_key());  // loopback: no key needed
        CHECK_FALSE((*b)->is_local());
    }
    auto bad = ciri::make_backend({"gemini", "m", ""});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("unknown provider 'gemini'") != std::string::npos);
    CHECK(bad.error().message.find("openai") != std::string::npos);
}

TEST_CASE("backend: secrets are scrubbed from text", "[backend]") {
    CHECK(ciri::scrub_secrets("key sk-1 and sk-1 again", {"sk-1", ""}) ==
          "key [redacted] and [redacted] again");
    CHECK(ciri::scrub_secrets("nothing here", {}) == "nothing here");
}

TEST_CASE("backend: error kinds have stable names", "[backend]") {
    CHECK(ciri::to_string(ciri::ErrorKind::rate_limited) == "rate_limited");
    CHECK(ciri::to_string(ciri::ErrorKind::offline_miss) == "offline_miss");
    CHECK(ciri::to_string(ciri::ErrorKind::http_5xx) == "http_5xx");
}
