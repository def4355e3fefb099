// What the hosted providers (OpenAI, Anthropic) share: a spec, an API key read from an env
// var, and a base URL taken from the spec, else an env var, else the provider's default.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "ciri/backends/backend.hpp"

namespace ciri {

/// A backend that authenticates with an API key; a loopback base URL needs none.
class KeyedBackend : public Backend {
public:
    KeyedBackend(ModelSpec spec, std::string key_env, std::string key)
        : spec_(std::move(spec)), key_env_(std::move(key_env)), key_(std::move(key)) {}

    const ModelSpec& spec() const override { return spec_; }
    std::string_view key_env() const override { return key_env_; }
    bool has_key() const override { return !key_.empty() || is_loopback_url(spec_.base_url); }
    std::vector<std::string> secrets() const override { return {key_}; }

protected:
    ModelSpec spec_;
    std::string key_env_;
    std::string key_;
};

/// Builds `B` for `spec`: the base URL is the spec's, else $`base_url_env`, else
/// `default_url`, without trailing '/'; the key comes from config.key_env, else
/// `default_key_env` (an unset key is left empty for has_key() to report).
template <class B>
std::unique_ptr<Backend> make_keyed_backend(ModelSpec spec, const BackendConfig& config,
                                            const char* base_url_env, const char* default_url,
                                            const char* default_key_env) {
    if (spec.base_url.empty()) spec.base_url = env_or_empty(base_url_env);
    if (spec.base_url.empty()) spec.base_url = default_url;
    while (spec.base_url.ends_with('/')) spec.base_url.pop_back();
    std::string key_env = config.key_env.empty() ? std::string(default_key_env) : config.key_env;
    std::string key = env_or_empty(key_env.c_str());
    return std::make_unique<B>(std::move(spec), std::move(key_env), std::move(key));
}

}  // namespace ciri
