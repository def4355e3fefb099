#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "ciri/rules/spec.hpp"
#include "tests/cli/cli_run.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/paths.hpp"

using ciri::test::run_ciri;
using ciri::test::write_file;
namespace fs = std::filesystem;

TEST_CASE("spec learn writes a params.tsv from valid files, reading shots up to Question:", "[cli][spec]") {
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-learn");
    write_file(dir / "valid" / "1", "svc.rpc.port=8020\nsvc.cache.enabled=true\nsvc.name=alpha beta\n");
    write_file(dir / "valid" / "2",
          "svc.rpc.port=9000\nsvc.flush.timeout=30s\n\nQuestion: Are there any mistakes?\n"
          "Answer:\n```json\n{\"hasError\": false}\n```\n");
    auto out = dir / "params.tsv";
    auto r = run_ciri({"spec", "learn", (dir / "valid").string(), "--system", "alluxio", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("learned 4 parameters of alluxio from 2 files") != std::string::npos);
    auto spec = ciri::read_spec_tsv(out);
    REQUIRE(spec.has_value());
    REQUIRE(spec->find("svc.rpc.port"));
    CHECK(spec->find("svc.rpc.port")->rule.kind == ciri::ValueKind::port);
    CHECK(spec->find("svc.cache.enabled")->rule.kind == ciri::ValueKind::boolean);
    CHECK(spec->find("svc.flush.timeout")->rule.kind == ciri::ValueKind::duration);
    CHECK(spec->find("svc.name")->rule.kind == ciri::ValueKind::string);
    // Nothing after "Question:" was read as configuration.
    CHECK(spec->find("Answer:") == nullptr);
    CHECK(spec->bool_spellings == std::vector<std::string>{"true"});
    fs::remove_all(dir);
}

TEST_CASE("spec learn without --out prints the table; bad input is a usage error", "[cli][spec]") {
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-stdout");
    write_file(dir / "a.properties", "x.port=1\n");
    auto r = run_ciri({"spec", "learn", (dir / "a.properties").string(), "--system", "alluxio"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("name\ttype\tdefault") != std::string::npos);
    CHECK(r.out.find("x.port\tport\t1") != std::string::npos);
    auto missing = run_ciri({"spec", "learn", (dir / "nope").string(), "--system", "alluxio"});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("no such file or directory") != std::string::npos);
    auto unknown = run_ciri({"spec", "learn", (dir / "a.properties").string(), "--system", "nosuch"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("unknown system 'nosuch'") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("spec learn on an artifact shot pool", "[cli][spec][artifact]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-artifact");
    auto out = dir / "hdfs.tsv";
    auto r = run_ciri({"spec", "learn", (*shared / "shot_pool" / "hdfs" / "ValidConfig").string(), "--system", "hdfs",
                       "--out", out.string()});
    REQUIRE(r.code == 0);
    auto spec = ciri::read_spec_tsv(out);
    REQUIRE(spec.has_value());
    CHECK(spec->params.size() > 50);
    REQUIRE(spec->find("dfs.datanode.http.internal-proxy.port"));
    CHECK(spec->find("dfs.datanode.http.internal-proxy.port")->rule.kind == ciri::ValueKind::port);
    fs::remove_all(dir);
}
