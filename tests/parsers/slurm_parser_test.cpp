#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_slurm(std::string_view, const ParseLimits&);
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
constexpr auto parse_fn = &ciri::parse_slurm;

}  // namespace

TEST_CASE("slurm: slurm.conf fixture", "[slurm]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/slurm/slurm.conf"));
    REQUIRE(ps.size() == 50);
    CHECK(ps[0].key == "ClusterName");
    CHECK(ps[0].value == "gpucluster");
    CHECK(ps[0].line == 2);
    CHECK(ps[0].section == "");
    auto hosts = find_all(ps, "SlurmctldHost");
    REQUIRE(hosts.size() == 2);
    CHECK(hosts[0]->value == "ctl01(10.0.0.1)");
    CHECK(hosts[1]->line == 4);
    CHECK(find(ps, "JobAcctGatherType").value == "jobacct_gather/cgroup");
    CHECK(find(ps, "include").value == "/etc/slurm/local.conf");
    CHECK(find(ps, "include").line == 21);

    auto nodes = find_all(ps, "NodeName");
    REQUIRE(nodes.size() == 3);
    CHECK(nodes[0]->value == "DEFAULT");
    CHECK(nodes[0]->section == "NodeName=DEFAULT");
    CHECK(nodes[1]->value == "gpu[01-04]");
    CHECK(nodes[1]->line == 25);
    const auto& gres = find(ps, "NodeName=gpu[01-04].Gres");
    CHECK(gres.value == "gpu:a100:8");
    CHECK(gres.section == "NodeName=gpu[01-04]");
    CHECK(gres.line == 25);
    // A continued line keeps the line of its start.
    CHECK(find(ps, "NodeName=gpu[01-04].RealMemory").value == "1031000");
    CHECK(find(ps, "NodeName=gpu[01-04].RealMemory").line == 25);
    CHECK(find(ps, "NodeName=cpu[01-16].Feature").value == "\"cpu,highmem\"");
    CHECK(find(ps, "NodeName=cpu[01-16].Feature").line == 27);
    CHECK(find(ps, "PartitionName").value == "gpu");
    CHECK(find(ps, "PartitionName=gpu.MaxTime").value == "2-00:00:00");
    CHECK(find(ps, "PartitionName=gpu.OverSubscribe").section == "PartitionName=gpu");
    CHECK(find(ps, "PartitionName=cpu.Default").value == "YES");
    CHECK(find(ps, "DownNodes=cpu16.Reason").value == "\"bad dimm\"");
}

TEST_CASE("slurm: gres.conf fixture", "[slurm]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/slurm/gres.conf"));
    REQUIRE(ps.size() == 13);
    CHECK(ps[0].key == "AutoDetect");
    CHECK(ps[1].key == "NodeName");
    CHECK(ps[1].section == "NodeName=gpu[01-04] Name=gpu");
    CHECK(ps[2].key == "Name");
    CHECK(ps[2].value == "gpu");
    auto files = find_all(ps, "NodeName=gpu[01-04] Name=gpu.File");
    REQUIRE(files.size() == 2);
    CHECK(files[0]->value == "/dev/nvidia[0-3]");
    CHECK(files[1]->value == "/dev/nvidia[4-7]");
    CHECK(files[1]->line == 4);
    CHECK(find(ps, "Name=mps.Count").value == "800");
    CHECK(find(ps, "Name=mps.Count").section == "Name=mps");
}

TEST_CASE("slurm: pairs, comments, case", "[slurm]") {
    auto ps = parse_ok(parse_fn, 
        "SlurmctldPort=6817 SlurmdPort = 6818\n"
        "Epilog=\n"
        "Prolog= TaskProlog=/x\n"
        "nodename=n1 cpus=4 # lower-case keys are kept as written\n"
        "MailProg=/bin/mail\\#x\n"
        "Include /etc/slurm/more.conf\n"
        "   \n"
        "PartitionName=p \\\n"
        "  Nodes=n1\n");
    REQUIRE(ps.size() == 11);
    CHECK(ps[0].key == "SlurmctldPort");
    CHECK(ps[1].key == "SlurmdPort");
    CHECK(ps[1].value == "6818");
    CHECK(ps[2].value == "");
    CHECK(ps[3].value == "");
    CHECK(ps[4].value == "/x");
    CHECK(ps[5].key == "nodename");
    CHECK(ps[6].key == "nodename=n1.cpus");
    CHECK(ps[7].value == "/bin/mail\\#x");
    CHECK(ps[8].key == "Include");
    CHECK(ps[8].value == "/etc/slurm/more.conf");
    CHECK(ps[10].key == "PartitionName=p.Nodes");
    CHECK(ps[10].line == 8);
}

TEST_CASE("slurm: words without = are errors with their line", "[slurm]") {
    auto e = parse_err(parse_fn, "ClusterName=c\n\nNodeName=n1 CPUs=4 bogus State=UP\n");
    CHECK(e.message == "expected Key=Value, got 'bogus'");
    CHECK(e.line == 3);
    CHECK(parse_err(parse_fn, "=x\n").message == "expected Key=Value, got '=x'");
    auto q = parse_err(parse_fn, "A=1\nReason=\"never closed\n");
    CHECK(q.message == "unterminated quote");
    CHECK(q.line == 2);
}

TEST_CASE("slurm: limits and garbage", "[slurm]") {
    ciri::ParseLimits limits;
    limits.max_params = 3;
    auto e = parse_err(parse_fn, "A=1\nB=2\nNodeName=n C=3\n", limits);
    CHECK(e.message == "more than 3 parameters");
    CHECK(e.line == 3);
    check_garbage(parse_fn, "\\");
    check_garbage(parse_fn, "A=\"");
    check_garbage(parse_fn, "include");
    check_garbage(parse_fn, std::string(5000, '\\') + "\n");
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, random_bytes(seed, 400, "AB=\"#\\ \n\tNodeName"));
}
