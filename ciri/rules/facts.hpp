// Facts about a job that its files do not hold: world size, nodes, GPUs per node, the GPU
// model, the model being trained or served, the system's version. Given with `--context
// KEY=VALUE` or `context:` in .ciri.yaml; spec constraints read them as `context.NAME`.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// The facts of one run, resolved: what was given plus what the GPU and model tables say.
/// Names: world_size, nodes, gpus_per_node, version, gpu (the table's name), gpu.memory_gb,
/// gpu.compute_capability, gpu.bf16, gpu.fp8 (1/0), model, model.num_layers,
/// model.num_attention_heads, model.num_kv_heads, model.hidden_size, model.vocab_size,
/// model.max_position_embeddings.
struct Facts {
    std::map<std::string, std::string> values;
    /// Where a fact comes from when another file of the job states it ("train.sbatch:4
    /// (gpus-per-node)"); facts given with --context have none.
    std::map<std::string, std::string> sources;

    /// The value of fact `name`; nullopt when it is not known.
    std::optional<std::string> get(std::string_view name) const;
    bool empty() const { return values.empty(); }

    /// One line per given fact, for prompts and reports ("world_size=16", "gpu=H100-SXM5-80GB
    /// (80 GB, compute capability 9.0, bf16, fp8)").
    std::vector<std::string> describe() const;
};

/// The keys `--context` accepts.
const std::vector<std::string_view>& context_keys();

/// Which `--context` key a fact name comes from (`model.num_layers` -> `model`).
std::string_view context_key_of(std::string_view fact);

/// Resolves the given KEY=VALUE facts: checks the keys and numbers, derives world_size from
/// nodes x gpus_per_node (and fails when all three are given and disagree), looks the GPU up in
/// `<data_dir>/facts/gpus.tsv` and the model in `<data_dir>/facts/models.tsv`, or reads a model
/// path as a Hugging Face config.json. Fails saying what was expected for an unknown key, a bad
/// number, an unknown GPU or model (listing where to look), or an unreadable config.json.
Expected<Facts> resolve_facts(const std::map<std::string, std::string>& given, const std::filesystem::path& data_dir);

/// Parses one `KEY=VALUE` of --context into `out`; fails on a missing `=` or an empty side.
Expected<void> add_context_arg(std::string_view arg, std::map<std::string, std::string>& out);

}  // namespace ciri
