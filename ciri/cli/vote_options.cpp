#include "ciri/cli/vote_options.hpp"

#include <chrono>

#include "ciri/cli/flag_check.hpp"
#include "ciri/weights_file.hpp"
#include "prompts/shot_selection.hpp"

namespace ciri {

void add_vote_options(CLI::App* cmd, VoteArgs& a, const std::string& model_help) {
    cmd->add_option("-m,--model", a.models, model_help)->allow_extra_args(false);
    cmd->add_option("--samples", a.samples, "answers asked of each LLM per file (default 3)");
    cmd->add_option("--vote", a.vote,
                    "ciri (the paper's: most frequent set), param (default: per parameter) or log-odds (measured "
                    "weights)")
        ->check(one_of("vote", {"param", "ciri", "log-odds"}));
    cmd->add_option("--threshold", a.threshold,
                    "param vote: weight a parameter needs (default: half of the voters that did not abstain); "
                    "log-odds vote: the log-odds it needs (default: the weights file's)");
    cmd->add_option("--weights", a.weights,
                    "weights file from `ciri calibrate` for the log-odds vote (default: validate's .ciri.yaml "
                    "weights:, else the shipped ones)");
    cmd->add_option("--quorum", a.quorum,
                    "LLMs that must answer a file for it to be called valid (default: every one configured); "
                    "fewer is inconclusive");
    cmd->add_option("--temperature", a.temperature, "sampling temperature (default 0.2)");
    cmd->add_option("--input-format", a.input_format, "format of the inputs, e.g. for stdin (see `ciri systems`)")
        ->check(one_of("input format", input_format_names()));
    cmd->add_option("--prompt", a.prompt, "prompt template: default or ciri (the paper's), or your own");
    cmd->add_option("--prompt-dir", a.prompt_dirs, "directory of your own templates, searched first")
        ->allow_extra_args(false);
    cmd->add_option("--shots", a.shots, "shot pool directory (ours, or the paper's shot_pool layout)");
    cmd->add_option("--shot-selection", a.shot_selection,
                    "random, similarity, category (default) or stable (the same shots for every file of a system: a "
                    "prompt prefix providers can cache)")
        ->check(one_of("shot selection", shot_strategies()));
    cmd->add_option("--file-view", a.file_view,
                    "how the file and the shots are shown: raw (as written, the default) or compact (one `LINE: key = "
                    "value` line per parameter: no comments or descriptions, several times fewer prompt tokens)")
        ->check(one_of("file view", file_view_names()));
    cmd->add_option("--valid-shots", a.valid_shots, "valid examples per prompt (default 1)");
    cmd->add_option("--misconfig-shots", a.misconfig_shots, "misconfigured examples per prompt (default 3)");
    cmd->add_option("--seed", a.seed, "seed for random shot selection")->capture_default_str();
    cmd->add_option("--max-params", a.max_params, "files with more parameters are validated in chunks")
        ->capture_default_str();
    cmd->add_option("--max-prompt-tokens", a.max_prompt_tokens, "prompt budget in tokens (0 = the model's)");
    cmd->add_option("--timeout", a.timeout,
                    "seconds one request may take from when it is sent, retries included (time queued behind "
                    "--max-in-flight does not count)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--deadline", a.deadline,
                    "seconds the whole run may take; files not finished by then are reported inconclusive, never valid")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--max-in-flight", a.max_in_flight, "requests on the wire per backend (default 8)");
    cmd->add_flag("--no-cache", a.no_cache, "neither read nor write the response cache");
    cmd->add_flag("--offline", a.offline, "answer from the response cache only; a miss is an error");
    cmd->add_option("--cache-dir", a.cache_dir, "response cache directory (default $XDG_CACHE_HOME/ciri)");
    cmd->add_flag("--no-early-stop", a.no_early_stop, "always ask for every sample");
    cmd->add_flag("--no-redact", a.no_redact, "send secret-looking values as they are (off by default)");
    cmd->add_flag("--no-rules", a.no_rules, "leave the rules voter out");
    cmd->add_option("--spec", a.specs, "spec table (params.tsv) or directory of <system>.tsv, before the shipped ones")
        ->allow_extra_args(false);
    cmd->add_option("--rules-weight", a.rules_weight, "weight of the rules voter (default 1)");
    cmd->add_flag("--rules-decisive", a.rules_decisive,
                  "certain rules findings stand on their own (the default; see README for the measured false alarms)");
    cmd->add_flag("--no-rules-decisive", a.no_rules_decisive, "certain rules findings are one vote like the others");
}

std::vector<std::string> vote_option_names() {
    CLI::App probe;
    VoteArgs a;
    add_vote_options(&probe, a, "");
    std::vector<std::string> names;
    for (const CLI::Option* o : probe.get_options())
        if (!o->get_lnames().empty() && o->get_lnames().front() != "help") names.push_back("--" + o->get_lnames().front());
    return names;
}

void apply_vote_args(const VoteArgs& a, const CiriConfig& config, ValidateOptions& o, LlmClientOptions& client) {
    if (a.no_cache) client.cache_mode = CacheMode::no_cache;
    if (a.offline) client.cache_mode = CacheMode::offline;
    if (a.cache_dir) client.cache_dir = *a.cache_dir;
    else if (config.cache_dir) client.cache_dir = *config.cache_dir;
    if (a.max_in_flight > 0) client.limits.max_in_flight = a.max_in_flight;
    client.default_timeout = std::chrono::milliseconds(static_cast<long>(a.timeout * 1000));
    // The run's clock starts here, when its options are read, before any file is loaded.
    if (a.deadline > 0)
        client.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(a.deadline * 1000));
    o.deadline = client.deadline;

    o.samples = a.samples.value_or(config.samples.value_or(3));
    if (o.samples < 1) throw UserError("--samples must be at least 1");
    o.temperature = a.temperature.value_or(config.temperature.value_or(0.2));
    auto method = parse_vote_method(a.vote.value_or(config.vote.value_or("param")));
    if (!method) throw UserError("--vote must be ciri, param or log-odds");
    o.vote.method = *method;
    // Measured weights: --weights, else .ciri.yaml's (relative to it), else the shipped ones.
    std::optional<std::filesystem::path> weights;
    if (a.weights) weights = *a.weights;
    else if (config.weights) weights = config.path.parent_path() / *config.weights;
    if (weights || o.vote.method == VoteMethod::log_odds) {
        auto w = weights ? read_weights(*weights) : default_weights();
        if (!w) throw UserError(w.error().format());
        o.vote.weights = std::move(*w);
    }
    if (a.threshold) o.vote.threshold = a.threshold;
    else if (config.threshold) o.vote.threshold = config.threshold;
    o.quorum = a.quorum;
    o.early_stop = !a.no_early_stop;
    o.prompt.prompt = a.prompt.value_or(config.prompt.value_or("default"));
    o.prompt.prompt_dirs = a.prompt_dirs;
    o.prompt.shots_dir = a.shots.value_or(config.shots.value_or(""));
    o.prompt.selection.strategy = a.shot_selection.value_or(config.shot_selection.value_or("category"));
    auto view = parse_file_view(a.file_view.value_or(config.file_view.value_or("raw")));
    if (!view) throw UserError("--file-view must be raw or compact");
    set_file_view(o.prompt, *view);
    o.prompt.selection.valid_shots = a.valid_shots.value_or(config.valid_shots.value_or(1));
    o.prompt.selection.misconfig_shots = a.misconfig_shots.value_or(config.misconfig_shots.value_or(3));
    if (o.prompt.selection.valid_shots < 0 || o.prompt.selection.misconfig_shots < 0)
        throw UserError("--valid-shots and --misconfig-shots must not be negative");
    o.prompt.selection.seed = a.seed;
    o.prompt.max_params = a.max_params;
    o.prompt.max_tokens = a.max_prompt_tokens;
    o.redact = !a.no_redact;
    o.rules = !a.no_rules && config.rules.enabled;
    o.rules_voter.weight = a.rules_weight.value_or(config.rules.weight);
    o.rules_voter.decisive = !a.no_rules_decisive && (a.rules_decisive || config.rules.decisive);
    for (const auto& s : config.rules.spec) o.spec_paths.emplace_back(s);
    for (const auto& s : a.specs) o.spec_paths.emplace_back(s);
    o.load.format = a.input_format;
}

}  // namespace ciri
