#include "ciri/backends/prices.hpp"

#include <catch2/catch.hpp>

using ciri::ModelSpec;

TEST_CASE("prices: cost splits cached and uncached prompt tokens", "[prices]") {
    ciri::Price p{2.0, 0.5, 8.0};
    ciri::Usage u{.prompt = 1'000'000, .completion = 500'000, .cached_prompt = 400'000};
    // 600k uncached * 2 + 400k cached * 0.5 + 500k * 8, per million.
    CHECK(ciri::estimate_cost(p, u) == Approx(1.2 + 0.2 + 4.0));
}

TEST_CASE("prices: cache writes cost their own price, else the input price", "[prices]") {
    ciri::Usage u{.prompt = 1'000'000, .cached_prompt = 600'000, .cache_write = 300'000};
    // Anthropic's Sonnet: 100k uncached * 3 + 600k read * 0.3 + 300k written * 3.75, per million.
    auto sonnet = ciri::PriceTable::with_defaults().lookup(ModelSpec{"anthropic", "claude-sonnet-4-5", ""});
    REQUIRE(sonnet);
    CHECK(ciri::estimate_cost(*sonnet, u) == Approx(0.3 + 0.18 + 1.125));
    // A price without a write price bills writes as input; writes never exceed what was not read.
    CHECK(ciri::estimate_cost(ciri::Price{2.0, 0.5, 0}, u) == Approx(0.2 + 0.3 + 0.6));
    u.cache_write = 900'000;
    CHECK(ciri::estimate_cost(ciri::Price{1.0, 0, 0, 2.0}, u) == Approx(0.4 * 2.0));
}

TEST_CASE("prices: exact name, longest prefix, local backends free, unknown models", "[prices]") {
    auto t = ciri::PriceTable::with_defaults();
    auto mini = t.lookup(ModelSpec{"openai", "gpt-4o-mini-2024-07-18", ""});
    auto full = t.lookup(ModelSpec{"openai", "gpt-4o-2024-08-06", ""});
    REQUIRE(mini);
    REQUIRE(full);
    CHECK(mini->input < full->input);
    CHECK(t.lookup(ModelSpec{"ollama", "qwen2.5-coder:7b", ""})->input == 0);
    CHECK(t.lookup(ModelSpec{"openai", "Qwen2.5-7B", "http://127.0.0.1:8000/v1"})->output == 0);
    CHECK_FALSE(t.lookup(ModelSpec{"openai", "my-finetune", ""}));
    CHECK_FALSE(t.cost(ModelSpec{"openai", "my-finetune", ""}, {}));

    // The user's rows add to and override the defaults.
    t.set("my-finetune", {1, 1, 1});
    t.set("gpt-4o", {100, 100, 100});
    CHECK(t.cost(ModelSpec{"openai", "my-finetune", ""}, {.prompt = 1'000'000}) == Approx(1.0));
    CHECK(t.lookup(ModelSpec{"openai", "gpt-4o", ""})->input == 100);
    CHECK(t.lookup(ModelSpec{"openai", "gpt-4o-mini", ""})->input == Approx(0.15));
}
