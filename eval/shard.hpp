// Deterministic slices of a dataset, so one evaluation can be spread over machines.
#pragma once

#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "eval/dataset.hpp"

namespace ciri {

/// Shard `index` of `count` (0 <= index < count).
struct Shard {
    int index = 0;
    int count = 1;
};

/// Parses "I/N" (I from 0, as a Kubernetes Indexed Job or a 0-based array index gives it).
/// Fails on anything else, on N < 1 and on I outside [0, N).
Expected<Shard> parse_shard(std::string_view text);

/// The items of shard `shard`: item k of `items` (in their canonical order) belongs to shard
/// k mod N, so the N shards partition the items exactly and each gets its share within one item.
std::vector<DatasetItem> shard_items(const std::vector<DatasetItem>& items, Shard shard);

}  // namespace ciri
