#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_sbatch(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::find_all;
using ciri::test::random_bytes;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
using ciri::test::parse_err;
using ciri::test::check_garbage;
constexpr auto parse_fn = &ciri::parse_sbatch;

}  // namespace

TEST_CASE("sbatch: GPU training script fixture", "[sbatch]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/sbatch/train_gpt.sbatch"));
    REQUIRE(ps.size() == 18);
    CHECK(ps[0].key == "job-name");
    CHECK(ps[0].value == "gpt-1.3b");
    CHECK(ps[0].line == 2);
    // Short options are mapped to their long names.
    CHECK(find(ps, "nodes").value == "4");
    CHECK(find(ps, "nodes").line == 3);
    CHECK(find(ps, "cpus-per-task").value == "12");
    CHECK(find(ps, "time").value == "48:00:00");
    CHECK(find(ps, "time").line == 7);  // the #SBATCH after the first command is ignored
    CHECK(find_all(ps, "time").size() == 1);
    CHECK(find(ps, "gres").value == "gpu:8");
    CHECK(find(ps, "partition").value == "gpu");
    CHECK(find(ps, "exclusive").value == "");
    CHECK(find(ps, "mem").value == "0");
    CHECK(find(ps, "output").value == "logs/%x-%j.out");
    CHECK(find(ps, "error").value == "logs/%x-%j.err");
    CHECK(find(ps, "error").line == 11);
    // `# SBATCH` and `##SBATCH` are disabled directives.
    CHECK(find_all(ps, "qos").empty());
    CHECK(find_all(ps, "account").empty());
    // Exports of the body.
    CHECK(find(ps, "env.NCCL_DEBUG").value == "INFO");
    CHECK(find(ps, "env.NCCL_DEBUG").line == 16);
    CHECK(find(ps, "env.NCCL_IB_HCA").value == "mlx5_0,mlx5_1,mlx5_2,mlx5_3");
    CHECK(find(ps, "env.NCCL_SOCKET_IFNAME").value == "ib0");
    CHECK(find(ps, "env.MASTER_ADDR").value ==
          "$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)");
    CHECK(find(ps, "env.MASTER_PORT").value == "6000");
    CHECK(find(ps, "env.CUDA_DEVICE_MAX_CONNECTIONS").line == 20);
    // The launcher line of the body: srun's own options, not the program's.
    CHECK(find(ps, "launch.srun.mpi").value == "pmix");
    CHECK(find(ps, "launch.srun.mpi").line == 23);
    CHECK(find_all(ps, "launch.srun.num-layers").empty());
}

TEST_CASE("sbatch: launcher lines of the body", "[sbatch]") {
    auto ps = parse_ok(parse_fn,
                       "#!/bin/bash\n#SBATCH -N 2\n\n"
                       "srun -N 2 --ntasks-per-node=1 torchrun \\\n"
                       "  --nnodes 2 --nproc_per_node=8 --standalone \\\n"
                       "  train.py --lr 3e-4\n"
                       "srun python -m torch.distributed.run --nproc-per-node 4 train.py\n"
                       "deepspeed --num_gpus 8 --num_nodes 2 train.py --deepspeed ds.json\n"
                       "accelerate launch --multi_gpu --num_processes 16 sft.py\n"
                       "# srun torchrun --nnodes 9 (a comment)\n"
                       "python train.py --nnodes 3\n");
    CHECK(find(ps, "launch.srun.nodes").value == "2");
    CHECK(find(ps, "launch.srun.nodes").line == 4);
    CHECK(find(ps, "launch.srun.ntasks-per-node").value == "1");
    CHECK(find(ps, "launch.torchrun.nnodes").value == "2");
    CHECK(find(ps, "launch.torchrun.nnodes").line == 4);  // the command's first line
    CHECK(find(ps, "launch.torchrun.nproc_per_node").value == "8");
    CHECK(find(ps, "launch.torchrun.standalone").value == "");
    CHECK(find_all(ps, "launch.torchrun.lr").empty());
    CHECK(find(ps, "launch.torchrun.nproc-per-node").value == "4");
    CHECK(find(ps, "launch.deepspeed.num_gpus").value == "8");
    CHECK(find(ps, "launch.deepspeed.num_nodes").value == "2");
    CHECK(find(ps, "launch.accelerate.multi_gpu").value == "");
    CHECK(find(ps, "launch.accelerate.num_processes").value == "16");
    CHECK(find_all(ps, "launch.torchrun.nnodes").size() == 1);  // not the comment, not plain python
    CHECK(ps.size() == 11);
}

TEST_CASE("sbatch: option forms", "[sbatch]") {
    auto ps = parse_ok(parse_fn, 
        "#!/bin/bash\n"
        "\n"
        "#SBATCH -N2 -n=16 -G 8\n"
        "#SBATCH --gpus-per-node 8 --exclusive --requeue\n"
        "#SBATCH --comment \"two words\"\n"
        "#SBATCH\t-w node[01-02]\n"
        "#SBATCH -H -Z 1\n"
        "#SBATCH --mail-type=END,FAIL   # notify\n"
        "#SBATCH\n"
        "#SBATCH-N 9\n"
        "echo start\n");
    REQUIRE(ps.size() == 11);
    CHECK(ps[0].key == "nodes");
    CHECK(ps[0].value == "2");
    CHECK(ps[0].line == 3);
    CHECK(ps[1].key == "ntasks");
    CHECK(ps[1].value == "16");
    CHECK(ps[2].key == "gpus");
    CHECK(ps[2].value == "8");
    CHECK(ps[3].key == "gpus-per-node");
    CHECK(ps[3].value == "8");
    CHECK(ps[4].key == "exclusive");
    CHECK(ps[4].value == "");
    CHECK(ps[5].key == "requeue");
    CHECK(ps[6].value == "two words");
    CHECK(ps[7].key == "nodelist");
    CHECK(ps[7].value == "node[01-02]");
    CHECK(ps[8].key == "hold");  // -H takes no value, so -Z is the next option
    CHECK(ps[8].value == "");
    CHECK(ps[9].key == "Z");
    CHECK(ps[9].value == "1");
    CHECK(ps[10].key == "mail-type");
    CHECK(ps[10].value == "END,FAIL");
}

TEST_CASE("sbatch: exports that are not simple are left alone", "[sbatch]") {
    auto ps = parse_ok(parse_fn, 
        "#SBATCH -N 1\n"
        "module load cuda\n"
        "export PATH\n"
        "export A=1 B='x y' # trailing\n"
        "  export C=\"unclosed\n"
        "export D=1 && echo E=2\n"
        "exported=1\n"
        "if true; then export F=3; fi\n");
    REQUIRE(ps.size() == 4);
    CHECK(find(ps, "env.A").value == "1");
    CHECK(find(ps, "env.B").value == "x y");
    CHECK(find(ps, "env.B").line == 4);
    CHECK(find_all(ps, "env.C").empty());
    CHECK(find(ps, "env.D").value == "1");
    CHECK(find_all(ps, "env.E").empty());
}

TEST_CASE("sbatch: malformed headers are errors with their line", "[sbatch]") {
    auto e = parse_err(parse_fn, "#!/bin/bash\n#SBATCH -N 1\n#SBATCH nodes=2\n");
    CHECK(e.message == "expected an option after #SBATCH, got 'nodes=2'");
    CHECK(e.line == 3);
    auto q = parse_err(parse_fn, "#SBATCH -N 1\n#SBATCH --comment \"open\n");
    CHECK(q.message == "unterminated quote");
    CHECK(q.line == 2);
}

TEST_CASE("sbatch: limits and garbage", "[sbatch]") {
    ciri::ParseLimits limits;
    limits.max_params = 2;
    auto e = parse_err(parse_fn, "#SBATCH -N 1\n#SBATCH -n 2\n#SBATCH -c 3\n", limits);
    CHECK(e.message == "more than 2 parameters");
    CHECK(e.line == 3);
    check_garbage(parse_fn, "#SBATCH -");
    check_garbage(parse_fn, "#SBATCH --");
    check_garbage(parse_fn, "#SBATCH --=");
    check_garbage(parse_fn, "#SBATCH \\");
    check_garbage(parse_fn, "export =");
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, "#SBATCH " + random_bytes(seed, 400, "#SBATCH -=ab\"'\\$( \n\texport"));
}
