// On-disk cache of LLM answers, content-addressed by SHA-256 of everything that shapes them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "ciri/backends/backend.hpp"

namespace ciri {

/// normal: read and write; no_cache: neither; offline: read only, a miss is an error.
enum class CacheMode { normal, no_cache, offline };

/// A directory of answers, one JSON file per request: <dir>/<hh>/<sha256>.json. Safe to share
/// between threads and between concurrent ciri processes: files are written whole to a
/// temporary name in the same directory and renamed into place, so readers see either
/// nothing or a complete entry. Stores samples and usage only: no keys, headers or URLs.
class ResponseCache {
  public:
    explicit ResponseCache(std::filesystem::path dir);

    /// $XDG_CACHE_HOME/ciri, else $HOME/.cache/ciri, else ./.ciri-cache.
    static std::filesystem::path default_dir();

    /// The entry's key: SHA-256 (hex) of a canonical JSON of provider, model, base URL,
    /// sampling parameters (samples, temperature, max_tokens, stop, json_mode) and the prompt.
    /// The deadline is not part of it; neither is any API key.
    static std::string key(const ModelSpec& resolved, const LlmRequest& req);

    /// The stored answer, marked cached with attempts 0; nullopt when absent or unreadable.
    std::optional<LlmResponse> load(const std::string& key) const;

    /// Stores a successful answer. Fails (without throwing) when the directory is not writable.
    Expected<void> store(const std::string& key, const LlmResponse& response) const;

    /// Where `key` is stored.
    std::filesystem::path path_of(const std::string& key) const;

    const std::filesystem::path& dir() const { return dir_; }

  private:
    std::filesystem::path dir_;
};

}  // namespace ciri
