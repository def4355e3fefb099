// A job is several files: a batch script, a launcher config, a DeepSpeed or Megatron config, a
// pod spec, slurm.conf with gres.conf. Each file states some facts of the job (nodes, GPUs per
// node, world size); the files must agree, and each file's rules may use what the others state.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ciri/rules/check.hpp"
#include "ciri/rules/facts.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// A fact one file of a job states, and where.
struct JobFact {
    std::string name;   ///< world_size, nodes, gpus_per_node or model_parallel_size
    std::string value;  ///< a positive integer
    std::string file;   ///< the file's path
    std::string param;  ///< the parameter that states it
    int line = 0;
};

/// The facts `file` states about its job: Slurm batch scripts (--nodes, --gpus-per-node or
/// --gres=gpu:N), torchrun arguments (--nnodes, --nproc_per_node), Accelerate configs
/// (num_machines, num_processes), NeMo (trainer.num_nodes, trainer.devices), Kubernetes
/// containers (the first GPU container's limit, and the --nproc_per_node of its command or
/// args), Megatron (tensor x pipeline parallel size, as
/// model_parallel_size). Values that are not plain positive integers (`2-4`, `auto`) state
/// nothing.
std::vector<JobFact> job_facts(const ConfigFile& file);

/// What checking the files of one job together gives.
struct JobAnalysis {
    Facts facts;  ///< the given facts, plus what the files state (given facts win)
    /// Where each stated fact comes from ("train.sbatch:4 (gpus-per-node)").
    std::map<std::string, std::string> sources;
    /// Cross-file findings, by file path: facts stated differently by two files, slurm.conf's
    /// Gres= against gres.conf. Each reason names the file and line of the other side.
    std::map<std::string, std::vector<RuleFinding>> findings;
};

/// Checks the files of one job together (one file alone is checked against itself: a pod's GPU
/// limit against its command's process count): world_size also follows from nodes x gpus_per_node,
/// and from an Accelerate config's num_processes. `given` are the --context facts, already
/// resolved; they are taken as true and win over what the files state.
JobAnalysis analyze_job(const std::vector<const ConfigFile*>& files, const Facts& given);

/// Which files are checked together, as indices into `files`: first each explicit job (a list
/// of paths or globs, as --job and `jobs:` give them; a file joins the first job that names it),
/// then, when `by_directory`, the other files of each directory that configure a GPU job (Slurm,
/// sbatch, torchrun, Accelerate, NeMo, Kubernetes, Megatron, DeepSpeed, TrainingArguments,
/// vLLM), when the directory holds one such file per system at most (two batch scripts in one
/// folder are two jobs, not one). Groups of one file are left out.
std::vector<std::vector<size_t>> group_jobs(const std::vector<const ConfigFile*>& files,
                                            const std::vector<std::vector<std::string>>& jobs, bool by_directory);

/// check_file() plus what analyze_job() finds in the file alone (a pod's GPU limit against its
/// command, shared memory for several GPUs): the rules as validate runs them on a file that is
/// no part of a larger job. `options.facts` may be null.
RulesVerdict check_file_alone(const ConfigFile& file, const SpecSet& spec, const RulesOptions& options = {});

/// Adds cross-file findings to a file's verdict: one per parameter (a finding already there
/// stays), in file order.
void merge_job_findings(RulesVerdict& verdict, const std::vector<RuleFinding>& findings);

}  // namespace ciri
