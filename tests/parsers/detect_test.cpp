#include "parsers/detect.hpp"

#include <catch2/catch.hpp>

#include "parsers/registry.hpp"

using namespace ciri;

namespace {
std::vector<Parameter> keys(std::initializer_list<const char*> names) {
    std::vector<Parameter> out;
    int line = 1;
    for (const char* n : names) out.push_back({n, "1", line++});
    return out;
}
}  // namespace

TEST_CASE("glob_match handles * and ? case-insensitively", "[detect]") {
    CHECK(glob_match("*-site.xml", "hdfs-site.xml"));
    CHECK(glob_match("ds_config*.json", "ds_config_zero3.json"));
    CHECK(glob_match("zoo.cfg", "ZOO.CFG"));
    CHECK(glob_match("a?c", "abc"));
    CHECK_FALSE(glob_match("*.xml", "site.xml.bak"));
    CHECK_FALSE(glob_match("redis*.conf", "postgresql.conf"));
    CHECK(glob_match("*", ""));
}

TEST_CASE("every system row names a registered format", "[detect]") {
    for (const auto& sys : systems()) {
        INFO(sys.name);
        CHECK(find_format(sys.format) != nullptr);
        CHECK_FALSE(sys.key_markers.empty());
        CHECK(find_system(sys.name) == &sys);
    }
    CHECK(find_system("no-such-system") == nullptr);
}

TEST_CASE("format from the file name", "[detect]") {
    CHECK(detect_format("conf/hdfs-site.xml", "") == "hadoop-xml");
    CHECK(detect_format("server.xml", "<Server port=\"8005\"/>") == "xml");
    CHECK(detect_format("conf/plain.xml", "<?xml version=\"1.0\"?>\n<configuration>\n<property>") ==
          "hadoop-xml");
    CHECK(detect_format("zoo.cfg", "") == "properties");
    CHECK(detect_format("/etc/postgresql/13/main/postgresql.conf", "") == "conf");
    CHECK(detect_format("redis-6380.conf", "") == "directives");
    CHECK(detect_format("slurm.conf", "") == "slurm");
    CHECK(detect_format("ds_config.json", "") == "json");
    CHECK(detect_format("job.yml", "") == "yaml");
    CHECK(detect_format("pyproject.toml", "") == "toml");
    CHECK(detect_format(".env.production", "") == "env");
    CHECK(detect_format("settings.py", "") == "python");
    CHECK(detect_format("train.sbatch", "") == "sbatch");
}

TEST_CASE("format from the content when the name says nothing", "[detect]") {
    CHECK(detect_format("1", "<?xml version=\"1.0\"?>\n<configuration>\n<property>\n<name>a</name>") ==
          "hadoop-xml");
    CHECK(detect_format("1", "<Server port=\"8005\">\n</Server>\n") == "xml");
    CHECK(detect_format("1", "{\n  \"train_batch_size\": 8\n}\n") == "json");
    CHECK(detect_format("job", "#!/bin/bash\n#SBATCH --nodes=2\nsrun hostname\n") == "sbatch");
    CHECK(detect_format("c", "NodeName=gpu[01-04] Gres=gpu:8\n") == "slurm");
    CHECK(detect_format("a", "--tensor-model-parallel-size 4 \\\n--bf16\n") == "args");
    CHECK(detect_format("c", "; comment\n[server]\nport = 80\n") == "ini");
    CHECK(detect_format("e", "export NCCL_DEBUG=INFO\n") == "env");
    CHECK(detect_format("s", "# django\nDEBUG = False\nALLOWED_HOSTS = ['a']\n") == "python");
    CHECK(detect_format("k", "apiVersion: v1\nkind: Pod\n") == "yaml");
    CHECK(detect_format("1", "alluxio.worker.memory.size=1GB\n\nalluxio.user.block.size.bytes.default=64MB\n") ==
          "properties");
    CHECK(detect_format("1", "# comment = not a key\nshared_buffers = 128MB\n") == "conf");
    CHECK(detect_format("r", "maxmemory 2gb\nsave 900 1\n") == "directives");
    CHECK(detect_format("x", "") == "");
}

TEST_CASE("system from the file name before the content", "[detect]") {
    CHECK(detect_system("/etc/hadoop/hdfs-site.xml", keys({"yarn.a", "yarn.b"})) == "hdfs");
    CHECK(detect_system("ds_config_zero2.json", {}) == "deepspeed");
    CHECK(detect_system("gres.conf", {}) == "slurm");
}

TEST_CASE("system from the share of keys carrying its markers", "[detect]") {
    CHECK(detect_system("1", keys({"dfs.replication", "dfs.blocksize", "fs.defaultFS"})) == "hdfs");
    // A zoo.cfg under any name, by the keys QuorumPeerConfig reads, the rarer ones too.
    CHECK(detect_system("zoo-full.cfg", keys({"tickTime", "minSessionTimeout", "maxSessionTimeout", "electionAlg",
                                              "peerType", "syncEnabled", "quorum.auth.enableSasl",
                                              "jvm.pause.monitor", "multiAddress.enabled"})) == "zookeeper");
    CHECK(detect_system("1", keys({"hbase.rootdir", "hbase.zookeeper.quorum", "zookeeper.session.timeout"})) ==
          "hbase");
    CHECK(detect_system("1", keys({"alluxio.master.hostname", "alluxio.worker.ramdisk.size"})) == "alluxio");
    CHECK(detect_system("1", keys({"zero_optimization.stage", "train_batch_size", "fp16.enabled"})) ==
          "deepspeed");
    CHECK(detect_system("1", keys({"shared_buffers", "work_mem", "wal_level", "foo"})) == "postgresql");
    CHECK(detect_system("1", keys({"NCCL_DEBUG", "NCCL_IB_HCA", "PATH"})) == "nccl");
    // Markers match whole keys or prefixes, never arbitrary substrings.
    CHECK(detect_system("1", keys({"portal", "names", "kindness"})) == "");
    CHECK(detect_system("1", {}) == "");
}

TEST_CASE("version from the file's own leading comments", "[detect]") {
    const SystemInfo& redis = *find_system("redis");
    CHECK(detect_version(redis, "# Redis configuration file example for Redis 7.0.11\nport 6379\n") == "7.0.11");
    CHECK(detect_version(*find_system("postgresql"), "# PostgreSQL version 13.4 tuned\nport = 5432\n") == "13.4");
    CHECK(detect_version(redis, "port 6379\n# tuned for Redis 7.0\n") == "7.0");
    CHECK(detect_version(redis, "maxmemory 2gb\n") == "");
}

TEST_CASE("detection is linear on long lines: no recursion on input size", "[detect]") {
    // std::regex recursed once per character and overflowed the stack on these probes.
    const SystemInfo& redis = *find_system("redis");
    std::string digits;
    for (int i = 0; i < 30000; ++i) digits += "1.";
    CHECK(detect_version(redis, "# Redis " + digits + "2\nport 6379\n") == digits + "2");
    CHECK(detect_version(redis, "# " + std::string(60000, 'x') + "\nport 6379\n") == "");
    std::string key_block = "-----BEGIN PRIVATE KEY-----\n";
    for (int i = 0; i < 1000; ++i) key_block += std::string(64, 'A') + "\n";
    key_block += "-----END PRIVATE KEY-----\n";
    CHECK(detect_format("unnamed", "tls_key: |\n" + key_block) == "yaml");
    CHECK(detect_format("unnamed", "name = " + std::string(50000, 'v') + "\n") == "conf");
    CHECK(detect_format("conf.xml", "<configuration>" + std::string(4000, ' ') + "<property>") == "hadoop-xml");
}

TEST_CASE("GPU-cluster and training systems from their names and keys", "[detect]") {
    CHECK(detect_system("out/training_args.json", {}) == "hf-trainer");
    CHECK(detect_system("megatron_gpt_config.yaml", {}) == "nemo");
    CHECK(detect_system("ray-cluster.yaml", {}) == "ray");
    CHECK(detect_system("torchrun_launch.args", {}) == "torchrun");
    CHECK(detect_system("vllm_config.yaml", {}) == "vllm");
    CHECK(detect_system("1", keys({"output_dir", "per_device_train_batch_size", "learning_rate", "bf16"})) ==
          "hf-trainer");
    CHECK(detect_system("1", keys({"trainer.devices", "trainer.num_nodes", "model.num_layers", "exp_manager.name"})) ==
          "nemo");
    CHECK(detect_system("1", keys({"nproc_per_node", "nnodes", "rdzv_backend", "_positional[0]"})) == "torchrun");
    CHECK(detect_system("1", keys({"MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "NCCL_DEBUG"})) == "torchrun");
    CHECK(detect_system("1", keys({"cluster_name", "provider.type", "available_node_types.head.resources"})) == "ray");
    CHECK(detect_system("1", keys({"num-layers", "decoder-first-pipeline-num-layers", "swiglu", "seed"})) ==
          "megatron");
    CHECK(detect_system("1", keys({"CgroupPlugin", "ConstrainDevices", "ConstrainCores"})) == "slurm");
}
