// The options `ciri validate` and `ciri eval` share: registered once, read once, so each flag
// exists in both and means the same.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "ciri/backends/llm_client.hpp"
#include "ciri/ciri_config.hpp"
#include "ciri/pipeline.hpp"

namespace ciri {

/// The shared options as given; unset ones fall back to .ciri.yaml (validate) or the defaults.
struct VoteArgs {
    std::vector<std::string> models;  ///< model specs; each command reads them its own way
    std::optional<int> samples;
    std::optional<std::string> vote, weights;
    std::optional<double> threshold, temperature, rules_weight;
    int quorum = 0;
    std::optional<std::string> prompt, shots, cache_dir;
    std::vector<std::string> prompt_dirs;
    std::optional<std::string> shot_selection, file_view;
    std::optional<int> valid_shots, misconfig_shots;
    uint64_t seed = 0;
    size_t max_params = 40, max_prompt_tokens = 0;
    std::string input_format;
    std::vector<std::string> specs;
    bool no_redact = false, no_rules = false, rules_decisive = false, no_rules_decisive = false;
    bool no_cache = false, offline = false, no_early_stop = false;
    double timeout = 120;
    double deadline = 0;  ///< --deadline: seconds for the whole run; 0 = none
    int max_in_flight = 0;
};

/// Registers the shared options on `cmd`; `model_help` says what a model spec is for that
/// command (eval also takes recorded answers and `rules`).
void add_vote_options(CLI::App* cmd, VoteArgs& args, const std::string& model_help);

/// The long names of the shared options ("--vote", ...), in registration order.
std::vector<std::string> vote_option_names();

/// Fills `o` and `client` from the shared options: a flag beats `config` (.ciri.yaml; eval
/// passes an empty one), which beats the defaults. Models are left to the caller. Throws
/// UserError on a value that cannot be used (an unreadable weights file, --samples 0).
void apply_vote_args(const VoteArgs& args, const CiriConfig& config, ValidateOptions& o, LlmClientOptions& client);

}  // namespace ciri
