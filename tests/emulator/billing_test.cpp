#include "tests/emulator/billing.hpp"

#include <catch2/catch.hpp>

using namespace ciri::emulator;

TEST_CASE("billing: tokens are ceil(bytes / 4)", "[billing]") {
    CHECK(tokens(0) == 0);
    CHECK(tokens(1) == 1);
    CHECK(tokens(4) == 1);
    CHECK(tokens(5) == 2);
}

TEST_CASE("billing: the prefix cache stays bounded", "[billing]") {
    PrefixCache cache(4);
    for (std::uint64_t key = 0; key < 100; ++key) {
        cache.insert(key);
        CHECK(cache.size() <= 8);
    }
    CHECK(cache.contains(99));
    CHECK(!cache.contains(0));
    cache.clear();
    CHECK(!cache.contains(99));
}

TEST_CASE("billing: OpenAI caches the longest seen 128-token step from 1024", "[billing]") {
    Billing billing;
    std::string prompt(1300 * 4, 'a');
    CHECK(billing.openai("m", prompt).cached_tokens == 0);
    CHECK(billing.openai("m", prompt).cached_tokens == 1280);
    std::string changed = prompt;
    changed[1100 * 4] = 'b';  // differs after 1100 tokens: only the 1024 prefix matches
    CHECK(billing.openai("m", changed).cached_tokens == 1024);
    changed[10] = 'c';
    CHECK(billing.openai("m", changed).cached_tokens == 0);
    CHECK(billing.openai("m", prompt).prompt_tokens == 1300);
}

TEST_CASE("billing: Anthropic reads a marked prefix the second time", "[billing]") {
    Billing billing;
    std::string prompt(1000, 'a');
    Usage first = billing.anthropic("m", prompt, 400);
    CHECK(first.cache_creation_tokens == 100);
    CHECK(first.cached_tokens == 0);
    Usage second = billing.anthropic("m", prompt, 400);
    CHECK(second.cached_tokens == 100);
    CHECK(second.cache_creation_tokens == 0);
    CHECK(second.prompt_tokens == 250);
    Usage unmarked = billing.anthropic("m", prompt, std::nullopt);
    CHECK(unmarked.cached_tokens == 0);
    CHECK(unmarked.cache_creation_tokens == 0);
    billing.clear();
    CHECK(billing.anthropic("m", prompt, 400).cache_creation_tokens == 100);
}
