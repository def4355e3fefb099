// How providers bill prompts: token counts and the prompt caches of OpenAI and Anthropic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "tests/emulator/chat.hpp"

namespace ciri::emulator {

/// Tokens of a text of `bytes` bytes: ceil(bytes / 4).
constexpr long tokens(std::size_t bytes) {
    return static_cast<long>((bytes + 3) / 4);
}

/// A bounded set of 64-bit keys: two generations, the older one dropped when the newer
/// fills up, so memory stays bounded however long the emulator runs (thread-safe).
class PrefixCache {
  public:
    /// Holds at most 2 * `generation_capacity` keys.
    explicit PrefixCache(std::size_t generation_capacity = 1 << 16);

    /// True when `key` was inserted and has not been evicted or cleared since.
    bool contains(std::uint64_t key) const;

    /// Remembers `key`.
    void insert(std::uint64_t key);

    /// Forgets every key.
    void clear();

    /// Keys currently held.
    std::size_t size() const;

  private:
    bool contains_locked(std::uint64_t key) const;
    void insert_locked(std::uint64_t key);

    friend class Billing;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_set<std::uint64_t> current_;
    std::unordered_set<std::uint64_t> previous_;
};

/// Tokens OpenAI caches at least, and the step by which cached prefixes grow.
inline constexpr long kOpenAiCacheMinTokens = 1024;
inline constexpr long kOpenAiCacheStepTokens = 128;

/// Computes the Usage of requests the way each provider bills them (thread-safe).
class Billing {
  public:
    /// OpenAI: the longest prefix of >= 1024 tokens (in 128-token steps) seen before for this
    /// model is reported as cached_tokens; every such prefix of this prompt is remembered.
    Usage openai(std::string_view model, std::string_view prompt);

    /// Anthropic: the prompt's first `prefix_bytes` bytes (up to the last cache_control block)
    /// are a cache read when seen before for this model, else a cache creation.
    Usage anthropic(std::string_view model, std::string_view prompt,
                    std::optional<std::size_t> prefix_bytes);

    /// Ollama: no cache; the whole prompt is billed.
    Usage plain(std::string_view prompt);

    /// Forgets every cached prefix.
    void clear();

  private:
    PrefixCache openai_cache_;
    PrefixCache anthropic_cache_;
};

}  // namespace ciri::emulator
