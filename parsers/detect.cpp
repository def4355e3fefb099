#include "parsers/detect.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include <re2/re2.h>

#include "parsers/text.hpp"

namespace ciri {

namespace {

// Name and markers of each system; a new system is one row.
const std::vector<SystemInfo> kSystems = {
    {"hdfs", "HDFS", "hadoop-xml", {"hdfs-site.xml", "hdfs-default.xml"}, {"dfs."}},
    {"hcommon", "Hadoop Common", "hadoop-xml", {"core-site.xml", "core-default.xml"},
     {"fs.", "hadoop.", "io.", "ipc.", "net.topology.", "ha.", "file.", "ftp.", "s3.", "tfile."}},
    {"yarn", "YARN", "hadoop-xml", {"yarn-site.xml", "yarn-default.xml"}, {"yarn."}},
    {"mapreduce", "MapReduce", "hadoop-xml", {"mapred-site.xml", "mapred-default.xml"},
     {"mapreduce.", "mapred."}},
    {"hbase", "HBase", "hadoop-xml", {"hbase-site.xml", "hbase-default.xml"}, {"hbase."}},
    {"alluxio", "Alluxio", "properties", {"alluxio-site.properties"}, {"alluxio."}},
    {"zookeeper", "ZooKeeper", "properties", {"zoo.cfg", "zoo_sample.cfg"},
     {"tickTime", "initLimit", "syncLimit", "dataDir", "dataLogDir", "clientPort", "server.",
      "autopurge.", "maxClientCnxns", "4lw.commands.whitelist", "admin.",
      // The other keys QuorumPeerConfig reads (datasets/zookeeper/params.tsv).
      "clientPortAddress", "secureClientPort", "secureClientPortAddress", "clientPortListenBacklog",
      "minSessionTimeout", "maxSessionTimeout", "electionAlg", "peerType", "syncEnabled", "standaloneEnabled",
      "reconfigEnabled", "quorumListenOnAllIPs", "localSessionsEnabled", "localSessionsUpgradingEnabled",
      "connectToLearnerMasterLimit", "observerMasterPort", "dynamicConfigFile", "sslQuorum",
      "sslQuorumReloadCertFiles", "portUnification", "oraclePath", "quorum.", "jvm.pause.", "multiAddress.",
      "metricsProvider."}},
    {"postgresql", "PostgreSQL", "conf", {"postgresql.conf", "postgresql.auto.conf"},
     {"shared_buffers", "max_connections", "work_mem", "maintenance_work_mem", "wal_",
      "autovacuum", "log_", "enable_", "checkpoint_", "max_wal_", "lc_", "ssl_", "archive_",
      "effective_", "random_page_cost", "seq_page_cost", "default_", "vacuum_", "bgwriter_",
      "listen_addresses", "port", "superuser_reserved_connections", "reserved_connections",
      "fsync", "synchronous_commit", "hot_standby", "deadlock_timeout", "statement_timeout",
      "track_", "jit", "datestyle", "timezone", "client_", "huge_pages", "temp_", "idle_",
      "parallel_", "max_parallel_", "debug_", "geqo", "cpu_", "from_collapse_limit",
      "join_collapse_limit", "hash_mem_multiplier", "tcp_keepalives_", "event_triggers"}},
    {"redis", "Redis", "directives", {"redis.conf", "redis-*.conf", "sentinel.conf"},
     {"maxmemory", "maxmemory-policy", "appendonly", "appendfsync", "save", "bind", "port",
      "requirepass", "dbfilename", "protected-mode", "tcp-backlog", "databases", "cluster-",
      "repl-", "replicaof", "hz", "lua-time-limit", "slowlog-"}},
    {"django", "Django", "python", {"settings.py", "settings_*.py", "*_settings.py"},
     {"INSTALLED_APPS", "MIDDLEWARE", "DATABASES", "SECRET_KEY", "ROOT_URLCONF", "ALLOWED_HOSTS",
      "DEBUG", "STATIC_", "MEDIA_", "TEMPLATES", "AUTH_", "SESSION_", "CSRF_", "LANGUAGE_",
      "TIME_ZONE", "USE_", "EMAIL_", "DEFAULT_", "FILE_UPLOAD_", "DATA_UPLOAD_", "SECURE_",
      "STATICFILES_", "FIXTURE_DIRS", "FIRST_DAY_OF_WEEK", "NUMBER_GROUPING", "CACHE_",
      "CACHES", "LOGGING", "WSGI_APPLICATION", "X_FRAME_OPTIONS", "APPEND_SLASH", "ADMINS"}},
    {"etcd", "etcd", "yaml", {"etcd.yaml", "etcd.yml", "etcd.conf.yml", "etcd.conf.yaml"},
     {"name", "data-dir", "wal-dir", "listen-peer-urls", "listen-client-urls",
      "initial-advertise-peer-urls", "advertise-client-urls", "initial-cluster",
      "initial-cluster-state", "initial-cluster-token", "snapshot-count", "heartbeat-interval",
      "election-timeout", "quota-backend-bytes", "auto-compaction-", "client-transport-security.",
      "peer-transport-security."}},
    {"deepspeed", "DeepSpeed", "json", {"ds_config*.json", "deepspeed*.json", "ds_inference*.json"},
     {"zero_optimization", "train_batch_size", "train_micro_batch_size_per_gpu",
      "gradient_accumulation_steps", "fp16", "bf16", "optimizer", "scheduler",
      "gradient_clipping", "zero_allow_untested_optimizer", "wall_clock_breakdown",
      "activation_checkpointing", "flops_profiler", "steps_per_print", "tensor_parallel",
      "replace_with_kernel_inject", "enable_cuda_graph", "max_out_tokens", "min_out_tokens",
      "triangular_masking", "return_tuple", "injection_policy", "mp_size"}},
    {"accelerate", "Hugging Face Accelerate", "yaml", {"accelerate*.yaml", "default_config.yaml"},
     {"compute_environment", "distributed_type", "mixed_precision", "num_processes",
      "num_machines", "machine_rank", "main_process_ip", "main_process_port", "use_cpu",
      "deepspeed_config.", "fsdp_config.", "gpu_ids", "rdzv_backend", "same_network",
      "downcast_bf16", "main_training_function", "tpu_"}},
    {"megatron", "Megatron-LM", "args", {"*megatron*.args", "*megatron*.txt"},
     {"tensor-model-parallel-size", "pipeline-model-parallel-size", "num-layers", "hidden-size",
      "num-attention-heads", "seq-length", "max-position-embeddings", "micro-batch-size",
      "global-batch-size", "lr", "train-iters", "sequence-parallel", "use-distributed-optimizer",
      "context-parallel-size", "expert-model-parallel-size", "ffn-hidden-size", "num-query-groups",
      "decoder-first-pipeline-num-layers", "decoder-last-pipeline-num-layers",
      "virtual-pipeline-model-parallel-size", "num-layers-per-virtual-pipeline-stage", "min-lr",
      "lr-decay-style", "lr-warmup-fraction", "lr-warmup-iters", "lr-decay-iters", "weight-decay", "clip-grad",
      "adam-beta1", "adam-beta2", "init-method-std", "attention-dropout", "hidden-dropout", "bf16", "fp16",
      "save", "load", "data-path", "split", "tokenizer-type", "tokenizer-model", "vocab-file", "merge-file",
      "save-interval", "eval-interval", "eval-iters", "log-interval", "swiglu", "normalization",
      "position-embedding-type", "untie-embeddings-and-output-weights", "disable-bias-linear",
      "group-query-attention", "num-experts", "moe-router-topk", "recompute-granularity",
      "recompute-method", "recompute-num-layers", "distributed-backend", "overlap-grad-reduce",
      "overlap-param-gather", "transformer-impl", "make-vocab-size-divisible-by", "train-samples",
      "use-flash-attn", "use-mcore-models", "ckpt-format", "seed", "kv-channels"}},
    {"vllm", "vLLM", "args", {"*vllm*.args", "*vllm*.txt", "*vllm*.yaml", "*vllm*.yml"},
     {"model", "tensor-parallel-size", "pipeline-parallel-size", "gpu-memory-utilization",
      "max-model-len", "max-num-seqs", "max-num-batched-tokens", "dtype", "quantization",
      "kv-cache-dtype", "enforce-eager", "swap-space", "served-model-name", "enable-prefix-caching"}},
    {"slurm", "Slurm", "slurm", {"slurm.conf", "gres.conf", "cgroup.conf", "topology.conf"},
     {"ClusterName", "SlurmctldHost", "ControlMachine", "SlurmUser", "SelectType",
      "SelectTypeParameters", "GresTypes", "NodeName", "PartitionName", "SchedulerType",
      "ProctrackType", "TaskPlugin", "AccountingStorageType", "Name", "File", "AutoDetect", "Type", "Cores",
      "Count", "Links", "CgroupPlugin", "ConstrainCores", "ConstrainDevices", "ConstrainRAMSpace",
      "ConstrainSwapSpace", "AllowedRAMSpace", "AllowedSwapSpace", "CgroupMountpoint", "IgnoreSystemd"}},
    {"sbatch", "Slurm batch script", "sbatch", {"*.sbatch", "*.slurm"},
     {"nodes", "ntasks", "ntasks-per-node", "gres", "gpus", "gpus-per-node", "cpus-per-task",
      "time", "partition", "job-name", "mem", "output", "error", "account", "qos", "exclusive"}},
    {"nccl", "NCCL", "env", {"nccl.conf", "*.nccl.env"}, {"NCCL_"}},
    {"kubernetes", "Kubernetes", "yaml", {},
     {"apiVersion", "kind", "metadata.", "spec."}},
    {"hf-trainer", "Hugging Face Transformers TrainingArguments", "json",
     {"training_args*.json", "training_args*.yaml", "training_args*.yml", "*train_args*.json", "*hf_trainer*.args",
      "*training_args*.args"},
     {"output_dir", "overwrite_output_dir", "per_device_train_batch_size", "per_device_eval_batch_size",
      "learning_rate", "num_train_epochs", "max_steps", "warmup_steps", "warmup_ratio", "lr_scheduler_type",
      "logging_steps", "logging_dir", "logging_strategy", "save_steps", "save_strategy", "save_total_limit",
      "eval_strategy", "evaluation_strategy", "eval_steps", "do_train", "do_eval", "bf16", "fp16", "tf32",
      "gradient_checkpointing", "gradient_accumulation_steps", "optim", "weight_decay", "adam_beta1",
      "adam_beta2", "adam_epsilon", "max_grad_norm", "report_to", "run_name", "seed", "dataloader_num_workers",
      "remove_unused_columns", "load_best_model_at_end", "metric_for_best_model", "push_to_hub", "ddp_backend",
      "ddp_timeout", "ddp_find_unused_parameters", "torch_compile", "deepspeed", "fsdp", "fsdp_config",
      "dataloader_pin_memory", "group_by_length", "local_rank", "hub_model_id", "label_smoothing_factor"}},
    {"nemo", "NVIDIA NeMo", "yaml", {"megatron_*config*.yaml", "nemo_*.yaml", "*_nemo.yaml"},
     {"trainer.", "exp_manager.", "model.", "name", "restore_from_path", "hydra."}},
    {"torchrun", "PyTorch distributed launcher (torchrun)", "args",
     {"torchrun*.args", "*torchrun*.txt", "*torchrun*.env", "torch_distributed*.env"},
     {"nproc_per_node", "nproc-per-node", "nnodes", "node_rank", "node-rank", "master_addr", "master-addr",
      "master_port", "master-port", "rdzv_backend", "rdzv-backend", "rdzv_endpoint", "rdzv-endpoint", "rdzv_id",
      "rdzv-id", "rdzv_conf", "max_restarts", "max-restarts", "standalone", "monitor_interval", "start_method",
      "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "NODE_RANK",
      "GROUP_RANK", "TORCHELASTIC_", "TORCH_", "OMP_NUM_THREADS", "CUDA_VISIBLE_DEVICES", "PYTORCH_"}},
    {"ray", "Ray cluster launcher", "yaml", {"ray-cluster*.yaml", "ray_cluster*.yaml", "*ray-cluster.yaml"},
     {"cluster_name", "max_workers", "upscaling_speed", "idle_timeout_minutes", "provider.", "auth.",
      "available_node_types.", "head_node_type", "docker.", "file_mounts", "setup_commands", "head_setup_commands",
      "worker_setup_commands", "head_start_ray_commands", "worker_start_ray_commands", "initialization_commands",
      "cluster_synced_files", "rsync_exclude", "rsync_filter", "file_mounts_sync_continuously"}},
};

// File names and extensions that say the format; checked in order, first match wins.
struct FormatGlob {
    std::string_view glob;
    std::string_view format;
};
const FormatGlob kFormatGlobs[] = {
    {"*-site.xml", "hadoop-xml"},  {"*-default.xml", "hadoop-xml"},
    {"*.xml", "xml"},              {"*.properties", "properties"},
    {"zoo.cfg", "properties"},     {"zoo_sample.cfg", "properties"},
    {"postgresql*.conf", "conf"},  {"redis*.conf", "directives"},
    {"sentinel.conf", "directives"}, {"slurm.conf", "slurm"},
    {"gres.conf", "slurm"},        {"cgroup.conf", "slurm"},
    {"topology.conf", "slurm"},    {"*.yaml", "yaml"},
    {"*.yml", "yaml"},             {"*.json", "json"},
    {"*.ini", "ini"},              {"*.cfg", "ini"},
    {"*.toml", "toml"},            {".env", "env"},
    {".env.*", "env"},             {"*.env", "env"},
    {"*.py", "python"},            {"*.sbatch", "sbatch"},
    {"*.slurm", "sbatch"},         {"*.args", "args"},
};

// Content sniffing for files whose name says nothing: each rule is an RE2 pattern (linear
// time, no recursion, whatever the input) that must match somewhere in the first lines,
// checked in order.
struct FormatSniff {
    std::string_view pattern;
    std::string_view format;
};
const FormatSniff kFormatSniffs[] = {
    {R"(<configuration[\s>][\s\S]*<property[\s>])", "hadoop-xml"},
    {R"(^\s*<[?!A-Za-z])", "xml"},
    {R"(^\s*[{\[]\s*("|\{|\[|$))", "json"},
    {R"((^|\n)#SBATCH\s)", "sbatch"},
    {R"((^|\n)\s*(NodeName|PartitionName|SlurmctldHost|ClusterName)=)", "slurm"},
    {R"((^|\n)\s*--?[A-Za-z][\w-]*(\s|=|$))", "args"},
    {R"((^|\n)\s*\[[^\]\n]+\]\s*(\n|$))", "ini"},
    {R"((^|\n)\s*export\s+[A-Za-z_]\w*=)", "env"},
    {R"((^|\n)[A-Z][A-Z0-9_]*\s*=\s*(True|False|None|\[|\{|\(|'|"|-?\d))", "python"},
    {R"((^|\n)[A-Za-z_][\w-]*:(\s|$))", "yaml"},
    {R"((^|\n)\s*[A-Za-z_][\w-]*(\.[\w-]+)+\s*[=:])", "properties"},
    {R"((^|\n)\s*[A-Za-z_]\w*\s*=)", "conf"},
    {R"((^|\n)\s*[a-z][\w-]*\s+\S)", "directives"},
};

// The sniff patterns, compiled once; same order as kFormatSniffs.
const std::vector<std::unique_ptr<RE2>>& sniff_patterns() {
    static const auto compiled = [] {
        std::vector<std::unique_ptr<RE2>> out;
        for (const auto& sniff : kFormatSniffs) out.push_back(std::make_unique<RE2>(sniff.pattern));
        return out;
    }();
    return compiled;
}

// "<title or name> [version] [v]1.2.3", case-insensitive, per system; compiled once,
// same order as kSystems.
const std::vector<std::unique_ptr<RE2>>& version_patterns() {
    static const auto compiled = [] {
        RE2::Options options;
        options.set_case_sensitive(false);
        std::vector<std::unique_ptr<RE2>> out;
        for (const auto& sys : kSystems)
            out.push_back(std::make_unique<RE2>("(?:" + RE2::QuoteMeta(sys.title) + "|" + RE2::QuoteMeta(sys.name) +
                                                    R"()\s+(?:version\s+)?v?(\d+(?:\.\d+)+))",
                                                options));
        return out;
    }();
    return compiled;
}

std::string_view base_name(std::string_view path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// True when key carries the marker: a prefix ending in '.', '_' or '-', or the exact key.
bool has_marker(std::string_view key, std::string_view marker) {
    char last = marker.back();
    if (last == '.' || last == '_' || last == '-') return key.starts_with(marker);
    return key == marker || (key.starts_with(marker) && key.size() > marker.size() &&
                             (key[marker.size()] == '.' || key[marker.size()] == '['));
}

}  // namespace

std::span<const SystemInfo> systems() { return kSystems; }

const SystemInfo* find_system(std::string_view name) {
    auto it = std::ranges::find(kSystems, name, &SystemInfo::name);
    return it == kSystems.end() ? nullptr : &*it;
}

bool glob_match(std::string_view glob, std::string_view name) {
    // Iterative matcher with single backtrack point for '*'.
    size_t g = 0, n = 0, star = std::string_view::npos, mark = 0;
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    while (n < name.size()) {
        if (g < glob.size() && (glob[g] == '?' || lower(glob[g]) == lower(name[n]))) {
            ++g, ++n;
        } else if (g < glob.size() && glob[g] == '*') {
            star = g++, mark = n;
        } else if (star != std::string_view::npos) {
            g = star + 1, n = ++mark;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

std::string detect_format(std::string_view path, std::string_view text) {
    std::string_view name = base_name(path);
    for (const auto& row : kFormatGlobs)
        if (glob_match(row.glob, name)) {
            // A .xml file in the Hadoop layout is Hadoop XML whatever it is called.
            if (row.format == "xml" && RE2::PartialMatch(text.substr(0, 4096), *sniff_patterns()[0]))
                return "hadoop-xml";
            return std::string(row.format);
        }
    std::string head(text.substr(0, 8192));
    // Comment lines say nothing about the format and would fool the sniffers.
    std::string body;
    for (const auto& line : split_lines(head)) {
        std::string_view t = trim(line.text);
        if (t.starts_with("#SBATCH") || (!t.starts_with('#') && !t.starts_with(';')))
            body.append(line.text).push_back('\n');
    }
    for (size_t i = 0; i < std::size(kFormatSniffs); ++i)
        if (RE2::PartialMatch(body, *sniff_patterns()[i])) return std::string(kFormatSniffs[i].format);
    return "";
}

std::string detect_system(std::string_view path, const std::vector<Parameter>& params) {
    std::string_view name = base_name(path);
    for (const auto& sys : kSystems)
        for (auto glob : sys.file_globs)
            if (glob_match(glob, name)) return std::string(sys.name);
    // By content: the system whose markers cover the largest share of keys, if at least half.
    const SystemInfo* best = nullptr;
    size_t best_hits = 0;
    for (const auto& sys : kSystems) {
        size_t hits = 0;
        for (const auto& p : params) {
            std::string_view key = p.key;
            if (!p.section.empty() && key.starts_with(p.section + "."))
                key.remove_prefix(p.section.size() + 1);
            if (std::ranges::any_of(sys.key_markers,
                                    [&](std::string_view m) { return has_marker(key, m); }))
                ++hits;
        }
        if (hits > best_hits) best = &sys, best_hits = hits;
    }
    if (best && best_hits * 2 >= params.size() && best_hits > 0) return std::string(best->name);
    return "";
}

std::string detect_version(const SystemInfo& system, std::string_view text) {
    // The caller's SystemInfo may be a copy: find its row by name.
    auto row = std::ranges::find(kSystems, system.name, &SystemInfo::name);
    if (row == kSystems.end()) return "";
    const RE2& re = *version_patterns()[static_cast<size_t>(row - kSystems.begin())];
    // Only comments near the top speak about the file itself.
    int seen = 0;
    for (const auto& line : split_lines(text)) {
        if (++seen > 30) break;
        std::string_view t = trim(line.text);
        if (!(t.starts_with('#') || t.starts_with("//") || t.starts_with(';') || t.starts_with("<!--")))
            continue;
        std::string version;
        if (RE2::PartialMatch(t, re, &version)) return version;
    }
    return "";
}

}  // namespace ciri
