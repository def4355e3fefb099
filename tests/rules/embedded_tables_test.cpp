#include "ciri/rules/embedded_tables.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"

using namespace ciri;

namespace {

bool flags(const RulesVerdict& v, const std::string& param) {
    for (const auto& f : v.findings)
        if (f.param == param) return true;
    return false;
}

}  // namespace

TEST_CASE("with_prefix renames rows and the names constraints use, not facts", "[rules][embedded]") {
    auto spec = parse_spec_tsv(
        "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "A\tint\t1\t1\t16\t\t\tA * B <= 64\n"
        "B\tint\t1\t1\t\t\t\tB requires A if C unless A,D\n"
        "C\tbool\n"
        "D\tint\t\t\t\t\t\tD <= context.gpus_per_node\n",
        "t.tsv");
    REQUIRE(spec);
    SpecSet p = with_prefix(*spec, "env.");
    CHECK(p.find("env.A"));
    CHECK(p.find("env.A")->name == "env.A");
    CHECK_FALSE(p.params.contains("A"));
    REQUIRE(p.constraints.size() == 3);
    CHECK(p.constraints[0].params() == std::vector<std::string>{"env.A", "env.B"});
    CHECK(p.constraints[1].cond_param == "env.B");
    CHECK(p.constraints[1].need_param == "env.A");
    REQUIRE(p.constraints[1].when.size() == 2);
    CHECK(p.constraints[1].when[0].param == "env.C");
    CHECK(p.constraints[1].when[1].param == "env.A,env.D");
    // A fact is not a parameter of the table: it keeps its name.
    CHECK(p.constraints[2].rhs == std::vector<std::string>{"context.gpus_per_node"});
}

TEST_CASE("an sbatch script's exported NCCL variables are checked against NCCL's table", "[rules][embedded]") {
    auto spec = load_spec_set("sbatch");
    REQUIRE(spec);
    REQUIRE(spec->find("env.NCCL_IB_TIMEOUT"));
    // The script's own rows win and NCCL's `*` row does not come along.
    CHECK(spec->find("nodes"));
    auto load = [](const std::string& body) {
        auto f = load_config_bytes("train.sbatch",
                                   "#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --gpus-per-node=8\n" + body +
                                       "srun torchrun --nproc_per_node=8 train.py\n",
                                   LoadOptions{});
        REQUIRE(f);
        REQUIRE(f->system == "sbatch");
        return *f;
    };
    // NCCL_IB_TIMEOUT is an exponent (4.096 us x 2^n): 1..31.
    auto bad = load("export NCCL_IB_TIMEOUT=100\nexport NCCL_DEBUG=INFO\n");
    auto v = check_file(bad, *spec);
    CHECK(flags(v, "env.NCCL_IB_TIMEOUT"));
    CHECK_FALSE(flags(v, "env.NCCL_DEBUG"));
    // Constraints between NCCL variables hold between the exported ones too.
    auto threads = load("export NCCL_SOCKET_NTHREADS=8 NCCL_NSOCKS_PERTHREAD=16\n");
    CHECK(flags(check_file(threads, *spec), "env.NCCL_SOCKET_NTHREADS"));
    // The fixed script: nothing to say.
    auto fixed = load("export NCCL_IB_TIMEOUT=22\nexport NCCL_DEBUG=INFO\nexport NCCL_SOCKET_NTHREADS=4 NCCL_NSOCKS_PERTHREAD=4\n");
    CHECK(check_file(fixed, *spec).findings.empty());
}

TEST_CASE("merge_embedded_tables adds nothing for a system that embeds none, and fails on a bad table",
          "[rules][embedded]") {
    SpecSet set;
    REQUIRE(merge_embedded_tables(set, "redis", default_spec_dir()));
    CHECK(set.empty());
    REQUIRE(merge_embedded_tables(set, "sbatch", ""));
    CHECK(set.empty());
    auto dir = std::filesystem::temp_directory_path() / "ciri-embedded-test";
    std::filesystem::create_directories(dir / "nccl");
    {
        std::ofstream(dir / "nccl" / "params.tsv") << "NCCL_X\tnot-a-type\n";
    }
    auto bad = merge_embedded_tables(set, "sbatch", dir);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().line == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a pod's env list is checked against NCCL's table, entry by entry", "[rules][embedded]") {
    auto spec = load_spec_set("kubernetes");
    REQUIRE(spec);
    auto pod = [](const std::string& env) {
        auto f = load_config_bytes("pod.yaml",
                                   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: train\nspec:\n  containers:\n"
                                   "  - name: trainer\n    image: nvcr.io/nvidia/pytorch:24.05-py3\n"
                                   "    env:\n" + env +
                                   "    resources:\n      limits:\n        nvidia.com/gpu: 8\n",
                                   LoadOptions{});
        REQUIRE(f);
        REQUIRE(f->system == "kubernetes");
        return *f;
    };
    auto bad = pod("    - name: NCCL_DEBUG\n      value: INFO\n    - name: NCCL_IB_DISABLE\n      value: \"true\"\n");
    auto v = check_file(bad, *spec);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].param == "spec.containers[0].env[1].value");
    CHECK(v.findings[0].line == 13);  // the value's line
    // Entries of one list are checked together: the sockets-times-threads limit.
    auto threads = pod("    - name: NCCL_SOCKET_NTHREADS\n      value: \"8\"\n    - name: NCCL_NSOCKS_PERTHREAD\n"
                       "      value: \"16\"\n");
    CHECK_FALSE(check_file(threads, *spec).findings.empty());
    // Variables NCCL's table does not know, and the fixed pod: nothing to say.
    auto fixed = pod("    - name: NCCL_IB_DISABLE\n      value: \"1\"\n    - name: MY_APP_MODE\n      value: fast\n");
    CHECK(check_file(fixed, *spec).findings.empty());
}
