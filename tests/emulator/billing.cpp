#include "tests/emulator/billing.hpp"

#include <functional>
#include <vector>

namespace ciri::emulator {
namespace {

constexpr std::uint64_t kSeed = 14695981039346656037ull;

// Keys must differ per provider, model and prefix length, not only per prefix bytes.
std::uint64_t mix(std::uint64_t hash, std::uint64_t extra) {
    hash ^= extra + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2);
    return hash;
}

// `hash` followed by `bytes`: libstdc++'s hash of the bytes (eight at a time; a byte-wise
// FNV over 15 KB prompts was a tenth of the emulator's CPU) chained into it.
std::uint64_t chain(std::uint64_t hash, std::string_view bytes) {
    return mix(hash, std::hash<std::string_view>{}(bytes));
}

}  // namespace

PrefixCache::PrefixCache(std::size_t generation_capacity) : capacity_(generation_capacity) {}

bool PrefixCache::contains(std::uint64_t key) const {
    std::lock_guard lock(mutex_);
    return contains_locked(key);
}

void PrefixCache::insert(std::uint64_t key) {
    std::lock_guard lock(mutex_);
    insert_locked(key);
}

bool PrefixCache::contains_locked(std::uint64_t key) const {
    return current_.contains(key) || previous_.contains(key);
}

void PrefixCache::insert_locked(std::uint64_t key) {
    if (current_.contains(key)) return;
    if (current_.size() >= capacity_) {
        previous_ = std::move(current_);
        current_ = {};
    }
    current_.insert(key);
}

void PrefixCache::clear() {
    std::lock_guard lock(mutex_);
    current_.clear();
    previous_.clear();
}

std::size_t PrefixCache::size() const {
    std::lock_guard lock(mutex_);
    return current_.size() + previous_.size();
}

Usage Billing::openai(std::string_view model, std::string_view prompt) {
    Usage usage;
    usage.prompt_tokens = tokens(prompt.size());
    // One pass over the prompt, keeping the hash at every 128-token boundary from 1024 on.
    std::vector<std::pair<long, std::uint64_t>> boundaries;
    std::uint64_t hash = chain(chain(kSeed, "openai\n"), model);
    hash = mix(hash, 0);
    std::size_t done = 0;
    for (long k = kOpenAiCacheMinTokens; static_cast<std::size_t>(k) * 4 <= prompt.size();
         k += kOpenAiCacheStepTokens) {
        std::size_t end = static_cast<std::size_t>(k) * 4;
        hash = chain(hash, prompt.substr(done, end - done));
        done = end;
        boundaries.emplace_back(k, mix(hash, static_cast<std::uint64_t>(k)));
    }
    std::lock_guard lock(openai_cache_.mutex_);
    for (auto it = boundaries.rbegin(); it != boundaries.rend(); ++it) {
        if (openai_cache_.contains_locked(it->second)) {
            usage.cached_tokens = it->first;
            break;
        }
    }
    for (const auto& boundary : boundaries) openai_cache_.insert_locked(boundary.second);
    return usage;
}

Usage Billing::anthropic(std::string_view model, std::string_view prompt,
                         std::optional<std::size_t> prefix_bytes) {
    Usage usage;
    usage.prompt_tokens = tokens(prompt.size());
    if (!prefix_bytes || *prefix_bytes == 0 || *prefix_bytes > prompt.size()) return usage;
    std::uint64_t key = chain(chain(kSeed, "anthropic\n"), model);
    key = mix(chain(mix(key, 0), prompt.substr(0, *prefix_bytes)), *prefix_bytes);
    long prefix_tokens = tokens(*prefix_bytes);
    std::lock_guard lock(anthropic_cache_.mutex_);
    if (anthropic_cache_.contains_locked(key)) {
        usage.cached_tokens = prefix_tokens;
    } else {
        usage.cache_creation_tokens = prefix_tokens;
        anthropic_cache_.insert_locked(key);
    }
    return usage;
}

Usage Billing::plain(std::string_view prompt) {
    Usage usage;
    usage.prompt_tokens = tokens(prompt.size());
    return usage;
}

void Billing::clear() {
    openai_cache_.clear();
    anthropic_cache_.clear();
}

}  // namespace ciri::emulator
