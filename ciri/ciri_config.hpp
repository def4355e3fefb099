// ciri's own configuration: .ciri.yaml, found from the current directory upwards.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// One LLM backend as configured.
struct ModelConfig {
    std::string spec;         ///< provider/model[@base_url]
    std::string base_url;     ///< overrides the spec's base URL
    std::string api_key_env;  ///< name of the env var holding the key (never the key itself)
    double weight = 1;
    int max_in_flight = 0;    ///< 0 = backend default
    int rpm = 0;              ///< requests per minute, 0 = unlimited
    int tpm = 0;              ///< tokens per minute, 0 = unlimited
    std::optional<double> price_input, price_cached_input, price_output;  ///< USD per 1M tokens
    int line = 0;             ///< where it is configured, for messages
    int spec_line = 0, base_url_line = 0, api_key_env_line = 0;  ///< where each key is, for messages
};

/// A glob -> system/version mapping.
struct SystemMapping {
    std::string glob;
    std::string system;
    std::string version;
};

/// The first mapping whose glob matches `path` (as given, or below any folder: `*/GLOB`), or
/// nullptr.
const SystemMapping* mapping_for(const std::vector<SystemMapping>& mappings, const std::string& path);

/// A suppression from the config: drop findings of `parameter` (in files matching `glob`).
struct IgnoreEntry {
    std::string parameter;
    std::string glob;  ///< "" = every file
    std::string reason;
};

/// The rules voter's options.
struct RulesConfig {
    bool enabled = true;
    double weight = 1;
    /// A confidence-1 rules finding stands on its own. On by default: calibrated on the paper's
    /// artifact, the rules' wrong opinions had a false-alarm rate of 0.04% (README, "The vote").
    bool decisive = true;
    std::vector<std::string> spec;  ///< extra spec tables (files or directories)
};

/// Everything .ciri.yaml can set; unset fields keep these defaults.
struct CiriConfig {
    std::filesystem::path path;  ///< the file it came from; empty when there was none
    std::vector<ModelConfig> models;
    std::optional<int> samples;
    std::optional<std::string> vote;
    std::optional<double> threshold;
    std::optional<std::string> weights;  ///< weights file for the log-odds vote, relative to this file
    std::optional<double> temperature;
    std::optional<std::string> prompt;
    std::optional<std::string> shots;
    std::optional<std::string> code;  ///< source tree or code index for the prompts, relative to this file
    /// The prompt's layout, as --shot-selection, --file-view, --valid-shots and --misconfig-shots
    /// give it; each only one of the fixed values (shot_strategies(), file_view_names()) or a count.
    std::optional<std::string> shot_selection, file_view;
    std::optional<int> valid_shots, misconfig_shots;
    std::optional<std::string> cache_dir;
    std::vector<std::string> include, exclude;
    std::vector<SystemMapping> systems;
    std::vector<IgnoreEntry> ignore;
    RulesConfig rules;
    bool rules_set = false;            ///< the file has a `rules:` key
    std::map<std::string, int> lines;  ///< where each key is (`prompt`, `rules.spec`, ...), for messages
    std::vector<std::string> fail_on;  ///< verdicts that fail the run (hook and validate)
    /// `context:` facts the files do not hold (world_size, nodes, gpus_per_node, gpu, model,
    /// version), as --context KEY=VALUE gives them; --context wins per key.
    std::map<std::string, std::string> context;
    /// `jobs:` groups of files (paths or globs) checked together, as --job gives them.
    std::vector<std::vector<std::string>> jobs;
};

/// Parses the text of a .ciri.yaml. Unknown keys and ill-typed values are errors with the line.
Expected<CiriConfig> parse_ciri_config(const std::string& text, const std::string& path_label);

/// Reads `path` with parse_ciri_config.
Expected<CiriConfig> load_ciri_config(const std::filesystem::path& path);

/// The nearest .ciri.yaml (or .ciri.yml) in `start` or a parent directory; nullopt if none.
std::optional<std::filesystem::path> find_ciri_config(const std::filesystem::path& start);

}  // namespace ciri
