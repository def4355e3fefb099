#include "eval/shard.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace ciri;

TEST_CASE("shards parse as I/N with I from 0", "[shard]") {
    auto s = parse_shard("2/5");
    REQUIRE(s);
    CHECK(s->index == 2);
    CHECK(s->count == 5);
    CHECK_FALSE(parse_shard("5/5"));
    CHECK_FALSE(parse_shard("-1/5"));
    CHECK_FALSE(parse_shard("1/0"));
    CHECK_FALSE(parse_shard("1"));
    CHECK_FALSE(parse_shard("a/b"));
    CHECK_FALSE(parse_shard("1/2x"));
}

TEST_CASE("shards partition the items exactly and deterministically", "[shard]") {
    std::vector<DatasetItem> items(103);
    for (size_t i = 0; i < items.size(); ++i) items[i].id = "item/" + std::to_string(i);
    for (int n : {1, 2, 3, 7, 103, 150}) {
        std::multiset<std::string> all;
        size_t smallest = items.size(), largest = 0;
        for (int i = 0; i < n; ++i) {
            auto part = shard_items(items, {i, n});
            CHECK(part.size() == shard_items(items, {i, n}).size());
            smallest = std::min(smallest, part.size());
            largest = std::max(largest, part.size());
            for (const auto& item : part) all.insert(item.id);
        }
        CHECK(all.size() == items.size());
        CHECK(std::set<std::string>(all.begin(), all.end()).size() == items.size());
        CHECK(largest - smallest <= 1);
    }
    auto a = shard_items(items, {1, 4}), b = shard_items(items, {1, 4});
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].id == b[i].id);
    CHECK(a[0].id == "item/1");
    CHECK(a[1].id == "item/5");
}
