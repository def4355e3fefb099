// Some files carry another system's settings under a prefix: a Slurm batch script exports NCCL's
// environment variables (`export NCCL_IB_TIMEOUT=22` is read as `env.NCCL_IB_TIMEOUT`). Those
// keys are checked against the other system's table, renamed, so one table stays the truth. A
// pod's container `env:` list is checked the same way, entry by entry.
#pragma once

#include <filesystem>
#include <string_view>

#include <vector>

#include "base/error.hpp"
#include "ciri/rules/check.hpp"
#include "ciri/rules/spec.hpp"

namespace ciri {

/// Environment lists (a Kubernetes container's `env: [{name: NCCL_IB_HCA, value: ...}]`): each
/// entry whose name is a row `env.NAME` of `spec` is checked as that row, the entries of one list
/// together (constraints between them hold); a finding names the entry's `value` key and line.
std::vector<RuleFinding> check_env_lists(const ConfigFile& file, const SpecSet& spec, const RulesOptions& options);

/// `spec` with every row and every parameter a constraint names (not `context.*` facts, not
/// `version`) renamed `prefix` + name.
SpecSet with_prefix(const SpecSet& spec, std::string_view prefix);

/// Merges into `set` (rows already there win) the shipped tables of the systems whose settings
/// `system`'s files carry under a prefix (sbatch: NCCL's as `env.`), read from
/// `shipped_dir/<other>/params.tsv`; a missing table adds nothing, a malformed one fails.
Expected<void> merge_embedded_tables(SpecSet& set, std::string_view system, const std::filesystem::path& shipped_dir);

}  // namespace ciri
