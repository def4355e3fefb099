// Shared by the backend tests: temp dirs, script files, and LlmClient options that retry fast.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "ciri/backends/llm_client.hpp"
#include "tests/support/emulator.hpp"
#include "tests/support/temp_files.hpp"

namespace ciri::test {

/// A script with one rule for prompts containing `match`, consuming `responses` in order.
inline std::string one_rule_script(const std::string& match, const nlohmann::json& responses) {
    return nlohmann::json{{"rules", {{{"match", match}, {"responses", responses}}}}}.dump();
}

/// Starts an emulator running `script` (written into `dir`), plus any extra args.
inline std::vector<std::string> script_args(const TempDir& dir, const std::string& script,
                                            std::vector<std::string> extra = {}) {
    auto path = write_file(dir.path / "script.json", script);
    std::vector<std::string> args = {"--script", path.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// The spec of `model` at the emulator, for each provider's base URL layout.
inline ModelSpec emulator_spec(const EmulatorProcess& emu, const std::string& provider,
                               const std::string& model = "m1") {
    std::string base = emu.base_url();
    if (provider == "openai") base += "/v1";
    return ModelSpec{provider, model, base};
}

/// Options for tests: no cache unless a dir is given, quick backoff, 3 attempts.
inline LlmClientOptions test_options(const std::filesystem::path& cache_dir = {}) {
    LlmClientOptions o;
    o.cache_mode = cache_dir.empty() ? CacheMode::no_cache : CacheMode::normal;
    o.cache_dir =
        cache_dir.empty() ? std::filesystem::temp_directory_path() / "ciri-be-unused" : cache_dir;
    o.limits.retry.max_attempts = 3;
    o.limits.retry.base_delay = std::chrono::milliseconds(20);
    o.limits.retry.max_delay = std::chrono::milliseconds(100);
    o.default_timeout = std::chrono::seconds(20);
    return o;
}

/// A request with a recognisable prompt.
inline LlmRequest request_for(const std::string& body, int samples = 1) {
    LlmRequest r;
    r.prompt.system = "You are a configuration validator.";
    r.prompt.prefix = "Instructions: answer in JSON.\n";
    r.prompt.body = body;
    r.samples = samples;
    r.max_tokens = 100;
    return r;
}

/// Milliseconds since `t`.
inline double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace ciri::test
