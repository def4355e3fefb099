#include "ciri/rules/job.hpp"

#include <catch2/catch.hpp>
#include <regex>

#include "ciri/rules/spec.hpp"
#include "parsers/load.hpp"

using namespace ciri;

namespace {

ConfigFile load(const std::string& path, const std::string& text) {
    auto f = load_config_bytes(path, text, LoadOptions{});
    REQUIRE(f);
    return *f;
}

const char* kSbatch =
    "#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=1\n#SBATCH --gpus-per-node=8\n"
    "srun accelerate launch --config_file acc.yaml train.py\n";

}  // namespace

TEST_CASE("job facts come from the files that state them", "[rules][job]") {
    auto sb = load("job/train.sbatch", kSbatch);
    auto facts = job_facts(sb);
    REQUIRE(facts.size() == 2);
    CHECK(facts[0].name == "nodes");
    CHECK(facts[0].value == "2");
    CHECK(facts[0].line == 2);
    CHECK(facts[1].name == "gpus_per_node");
    CHECK(facts[1].param == "gpus-per-node");
    auto gres = load("a.sbatch", "#SBATCH --nodes=2-4\n#SBATCH --gres=gpu:a100:4\n");
    facts = job_facts(gres);
    REQUIRE(facts.size() == 1);  // a node range states no count
    CHECK(facts[0].value == "4");
    auto acc = load("job/accelerate_config.yaml", "num_machines: 2\nnum_processes: 16\ndistributed_type: MULTI_GPU\n");
    facts = job_facts(acc);
    REQUIRE(facts.size() == 2);
    CHECK(facts[1].name == "world_size");
}

TEST_CASE("files of a job that disagree are flagged on both sides, with file and line", "[rules][job]") {
    auto sb = load("job/train.sbatch", kSbatch);
    auto acc = load("job/accelerate_config.yaml", "num_machines: 4\nnum_processes: 32\ndistributed_type: MULTI_GPU\n");
    auto job = analyze_job({&sb, &acc}, Facts{});
    REQUIRE(job.findings["job/train.sbatch"].size() == 1);
    REQUIRE(job.findings["job/accelerate_config.yaml"].size() >= 1);
    const auto& f = job.findings["job/train.sbatch"][0];
    CHECK(f.param == "nodes");
    CHECK(f.line == 2);
    CHECK(f.reason == "the job's nodes is 2 in job/train.sbatch:2 (nodes) but 4 in job/accelerate_config.yaml:1 (num_machines)");
    CHECK(job.findings["job/accelerate_config.yaml"][0].param == "num_machines");
    // An agreeing job has no findings and derives the world size.
    auto ok = load("job/accelerate_config.yaml", "num_machines: 2\nnum_processes: 16\n");
    auto good = analyze_job({&sb, &ok}, Facts{});
    CHECK(good.findings.empty());
    CHECK(good.facts.get("world_size") == "16");
    CHECK(good.facts.sources.at("nodes") == "job/train.sbatch:2 (nodes)");
}

TEST_CASE("another file's facts drive a file's rules, and the reason says where they come from", "[rules][job]") {
    auto sb = load("job/train.sbatch", kSbatch);
    auto ds = load("job/ds_config.json",
                   R"({"train_batch_size": 256, "train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 8})");
    auto job = analyze_job({&sb, &ds}, Facts{});
    CHECK(job.facts.get("world_size") == "16");
    auto spec = load_spec_set("deepspeed");
    REQUIRE(spec);
    RulesOptions o;
    o.facts = &job.facts;
    auto v = check_file(ds, *spec, o);
    REQUIRE(!v.findings.empty());
    CHECK(v.findings[0].param == "train_batch_size");
    CHECK(v.findings[0].reason.find("world_size from job/train.sbatch:2 (nodes) x job/train.sbatch:4 (gpus-per-node)") !=
          std::string::npos);
    // 4 x 8 x 16 = 512 is right.
    auto fixed = load("job/ds_config.json",
                      R"({"train_batch_size": 512, "train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 8})");
    CHECK(check_file(fixed, *spec, o).findings.empty());
}

TEST_CASE("Megatron's model parallelism divides the world size DeepSpeed batches over", "[rules][job]") {
    auto sb = load("job/train.sbatch", kSbatch);  // 2 nodes x 8 GPUs
    auto meg = load("job/megatron.args", "--tensor-model-parallel-size 2 --pipeline-model-parallel-size 2\n");
    auto ds = load("job/ds_config.json",
                   R"({"train_batch_size": 128, "train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 8})");
    auto job = analyze_job({&sb, &meg, &ds}, Facts{});
    CHECK(job.facts.get("model_parallel_size") == "4");
    auto spec = load_spec_set("deepspeed");
    REQUIRE(spec);
    RulesOptions o;
    o.facts = &job.facts;
    // 4 x 8 x (16 / 4) = 128: the full identity is not applied with a world size it does not hold for.
    CHECK(check_file(ds, *spec, o).findings.empty());
}

TEST_CASE("given facts win, and a file of the job that says otherwise is flagged", "[rules][job]") {
    auto sb = load("train.sbatch", kSbatch);
    Facts given;
    given.values = {{"nodes", "4"}};
    auto job = analyze_job({&sb}, given);
    REQUIRE(job.findings["train.sbatch"].size() == 1);
    CHECK(job.findings["train.sbatch"][0].param == "nodes");
    CHECK(job.facts.get("nodes") == "4");
}

TEST_CASE("slurm.conf Gres= against gres.conf", "[rules][job]") {
    auto conf = load("etc/slurm.conf",
                     "ClusterName=c\nGresTypes=gpu\nNodeName=g[01-04] CPUs=64 Gres=gpu:h100:8 State=UNKNOWN\n");
    auto four = load("etc/gres.conf", "NodeName=g[01-04] Name=gpu Type=h100 File=/dev/nvidia[0-3]\n");
    auto job = analyze_job({&conf, &four}, Facts{});
    REQUIRE(job.findings["etc/slurm.conf"].size() == 1);
    CHECK(job.findings["etc/slurm.conf"][0].param == "NodeName=g[01-04].Gres");
    CHECK(job.findings["etc/slurm.conf"][0].reason.find("gres.conf gives them 4 (etc/gres.conf:1") != std::string::npos);
    REQUIRE(job.findings["etc/gres.conf"].size() == 1);
    auto eight = load("etc/gres.conf", "NodeName=g[01-04] Name=gpu Type=h100 File=/dev/nvidia[0-7]\n");
    CHECK(analyze_job({&conf, &eight}, Facts{}).findings.empty());
    auto typed = load("etc/gres.conf", "NodeName=g[01-04] Name=gpu Type=a100 File=/dev/nvidia0,/dev/nvidia[1-7]\n");
    auto t = analyze_job({&conf, &typed}, Facts{});
    REQUIRE(t.findings["etc/slurm.conf"].size() == 1);
    CHECK(t.findings["etc/slurm.conf"][0].reason.find("type 'h100'") != std::string::npos);
    auto autodetect = load("etc/gres.conf", "AutoDetect=nvml\n");
    CHECK(analyze_job({&conf, &autodetect}, Facts{}).findings.empty());
}

TEST_CASE("which files form a job", "[rules][job]") {
    auto sb = load("exp/train.sbatch", kSbatch);
    auto sb2 = load("exp/eval.sbatch", kSbatch);
    auto acc = load("exp/accelerate_config.yaml", "num_machines: 2\nnum_processes: 16\n");
    auto ds = load("other/ds_config.json", R"({"train_batch_size": 32})");
    auto pg = load("exp/postgresql.conf", "max_connections = 10\n");
    std::vector<const ConfigFile*> files = {&sb, &acc, &ds, &pg};
    // By directory: the batch script and the launcher config; not the database, not another folder.
    CHECK(group_jobs(files, {}, true) == std::vector<std::vector<size_t>>{{0, 1}});
    auto ds_here = load("exp/ds_config.json", R"({"train_batch_size": 32})");
    std::vector<const ConfigFile*> with_ds = {&sb, &acc, &ds_here};
    CHECK(group_jobs(with_ds, {}, true) == std::vector<std::vector<size_t>>{{0, 1, 2}});  // it uses their facts
    CHECK(group_jobs(files, {}, false).empty());
    // An explicit job takes files from anywhere, by path or glob.
    CHECK(group_jobs(files, {{"exp/train.sbatch", "other/*.json"}}, true) == std::vector<std::vector<size_t>>{{0, 2}});
    // Two batch scripts in one folder are two jobs, not one.
    std::vector<const ConfigFile*> two = {&sb, &sb2, &acc};
    CHECK(group_jobs(two, {}, true).empty());
}

TEST_CASE("cross-file findings merge into a verdict once per parameter, in file order", "[rules][job]") {
    RulesVerdict v;
    v.findings.push_back(RuleFinding{"b", "1", 5, "x", 1.0, "Range", "", "spec"});
    merge_job_findings(v, {RuleFinding{"a", "2", 2, "y", 1.0, "Dependency", "", "job"},
                           RuleFinding{"b", "1", 5, "z", 1.0, "Dependency", "", "job"}});
    REQUIRE(v.findings.size() == 2);
    CHECK(v.findings[0].param == "a");
    CHECK(v.findings[1].reason == "x");
}

TEST_CASE("a pod's GPU limit against the processes its command starts", "[rules][job]") {
    const std::string pod =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  hostIPC: true\n  containers:\n    - name: t\n      image: x\n"
        "      command: [\"torchrun\", \"--nproc_per_node=NPROC\", \"train.py\"]\n"
        "      resources:\n        limits:\n          nvidia.com/gpu: 8\n";
    auto bad = load("pod.yaml", std::regex_replace(pod, std::regex("NPROC"), "4"));
    auto job = analyze_job({&bad}, Facts{});
    REQUIRE(job.findings["pod.yaml"].size() == 2);
    CHECK(job.findings["pod.yaml"][0].reason ==
          "the job's gpus_per_node is 8 in pod.yaml:13 (spec.containers[0].resources.limits.nvidia.com/gpu) but 4 in "
          "pod.yaml:10 (spec.containers[0].command[1])");
    auto good = load("pod.yaml", std::regex_replace(pod, std::regex("NPROC"), "8"));
    CHECK(analyze_job({&good}, Facts{}).findings.empty());
}

TEST_CASE("a pod with several GPUs needs shared memory beyond the container's 64 MiB", "[rules][job]") {
    const std::string pod =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ddp\nspec:\n{extra}  containers:\n  - name: trainer\n"
        "    image: nvcr.io/nvidia/pytorch:24.05-py3\n{mounts}    resources:\n      limits:\n        nvidia.com/gpu: {gpus}\n";
    auto make = [&](const std::string& extra, const std::string& mounts, const std::string& gpus) {
        std::string text = pod;
        text.replace(text.find("{extra}"), 7, extra);
        text.replace(text.find("{mounts}"), 8, mounts);
        text.replace(text.find("{gpus}"), 6, gpus);
        return load("pod.yaml", text);
    };
    auto findings = [](const ConfigFile& f) { return analyze_job({&f}, Facts{}).findings[f.path]; };
    auto bare = make("", "", "8");
    auto v = findings(bare);
    REQUIRE(v.size() == 1);
    CHECK(v[0].param == "spec.containers[0].resources.limits.nvidia.com/gpu");
    CHECK(v[0].category == "Environment");
    CHECK(v[0].reason.find("/dev/shm") != std::string::npos);
    // A Memory emptyDir at /dev/shm, or the node's IPC namespace, is enough; one GPU needs neither.
    CHECK(findings(make("  volumes:\n  - name: dshm\n    emptyDir:\n      medium: Memory\n",
                        "    volumeMounts:\n    - name: dshm\n      mountPath: /dev/shm\n", "8"))
              .empty());
    CHECK(findings(make("  hostIPC: true\n", "", "4")).empty());
    CHECK(findings(make("", "", "1")).empty());
}
