#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
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

TEST_CASE("spec learn --from-defaults writes a table whose header names version and source", "[cli][spec]") {
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-defaults");
    write_file(dir / "server.conf.sample",
               "# An invented sample.\n#pool_workers = 8\t\t# 1-64 (change requires restart)\n#mode = fast\t\t# fast or safe\n");
    auto out = dir / "params.tsv";
    auto r = run_ciri({"spec", "learn", "--from-defaults", (dir / "server.conf.sample").string(), "--system", "postgresql",
                       "--sys-version", "9.9", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::ifstream in(out);
    std::string first;
    std::getline(in, first);
    CHECK(first == "# postgresql 9.9, learned by `ciri spec learn --from-defaults`. Source: server.conf.sample.");
    auto spec = ciri::read_spec_tsv(out);
    REQUIRE(spec.has_value());
    CHECK(spec->find("pool_workers")->rule.max == 64);
    CHECK(spec->find("pool_workers")->restart);
    CHECK(spec->find("mode")->rule.kind == ciri::ValueKind::enumeration);
    // Both inputs at once is a usage error.
    auto both = run_ciri({"spec", "learn", "x", "--from-defaults", (dir / "server.conf.sample").string(), "--system",
                          "postgresql"});
    CHECK(both.code == 2);
    fs::remove_all(dir);
}

TEST_CASE("spec learn --from-pg-settings and --from-flag-help learn from the programs' own output", "[cli][spec]") {
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-program");
    write_file(dir / "settings.tsv",
               "name\tcontext\tvartype\tunit\tmin_val\tmax_val\tenumvals\tboot_val\n"
               "pool_pages\tpostmaster\tinteger\t8kB\t16\t1000\t\\N\t64\n"
               "fast_path\tuser\tbool\t\\N\t\\N\t\\N\t\\N\ton\n");
    write_file(dir / "server.conf.sample", "#fast_path = on\t\t# only used when pool_pages is set\n#legend = x\n");
    auto out = dir / "params.tsv";
    auto r = run_ciri({"spec", "learn", "--from-pg-settings", (dir / "settings.tsv").string(), "--from-defaults",
                       (dir / "server.conf.sample").string(), "--system", "postgresql", "--sys-version", "15",
                       "--document", "pg_settings of an invented server", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::ifstream in(out);
    std::string first, second, third;
    std::getline(in, first);
    std::getline(in, second);
    std::getline(in, third);
    CHECK(first == "# postgresql 15, learned by `ciri spec learn --from-pg-settings`. Source: pg_settings of an invented server.");
    CHECK(third.find("--from-defaults server.conf.sample") != std::string::npos);
    auto spec = ciri::read_spec_tsv(out);
    REQUIRE(spec.has_value());
    CHECK(spec->find("pool_pages")->unit == "8kB");
    CHECK(spec->find("pool_pages")->restart);
    CHECK_FALSE(spec->find("legend"));  // the program lists every parameter: the document adds none
    auto pg = write_file(dir / "postgresql.conf", "pool_pages = 15\nfast_path = ''\n");
    auto v = run_ciri({"validate", "--no-config", "--rules-only", "--spec", out.string(), pg.string()});
    CHECK(v.code == 1);
    CHECK(v.out.find("pool_pages = 15") != std::string::npos);
    CHECK(v.out.find("fast_path") != std::string::npos);

    write_file(dir / "help.txt", "Member:\n  --snapshot-count '100000'\n    How many.\n  --name 'default'\n    A name.\n");
    write_file(dir / "types.tsv", "snapshot-count\tuint64\nname\tstring\n");
    auto etcd = dir / "etcd.tsv";
    auto e = run_ciri({"spec", "learn", "--from-flag-help", (dir / "help.txt").string(), "--flag-types",
                       (dir / "types.tsv").string(), "--system", "etcd", "--out", etcd.string()});
    INFO(e.err);
    REQUIRE(e.code == 0);
    auto table = ciri::read_spec_tsv(etcd);
    REQUIRE(table.has_value());
    CHECK(table->find("snapshot-count")->rule.min == 0);
    CHECK(table->find("name"));
    // One program at a time, and --flag-types only with --from-flag-help.
    CHECK(run_ciri({"spec", "learn", "--from-pg-settings", (dir / "settings.tsv").string(), "--from-flag-help",
                    (dir / "help.txt").string(), "--system", "etcd"})
              .code == 2);
    CHECK(run_ciri({"spec", "learn", "--from-pg-settings", (dir / "settings.tsv").string(), "--flag-types",
                    (dir / "types.tsv").string(), "--system", "postgresql"})
              .code == 2);
    fs::remove_all(dir);
}

TEST_CASE("spec learn --from-refusals and --source-facts", "[cli][spec]") {
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-refusals");
    write_file(dir / "probes.tsv",
               "hz\tciri-probe\targument couldn't be parsed into an integer\n"
               "hz\t-9223372036854775808\targument must be between 1 and 500 inclusive\n"
               "hz\t\"\"\targument couldn't be parsed into an integer\n");
    write_file(dir / "server.conf", "# the rate\nhz 10\n# a name\nlabel x\n");
    auto out = dir / "params.tsv";
    auto r = run_ciri({"spec", "learn", "--from-refusals", (dir / "probes.tsv").string(), "--from-defaults",
                       (dir / "server.conf").string(), "--system", "redis", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto spec = ciri::read_spec_tsv(out);
    REQUIRE(spec.has_value());
    CHECK(spec->find("hz")->rule.kind == ciri::ValueKind::integer);
    CHECK(spec->find("hz")->rule.max == 500);
    CHECK(spec->find("hz")->default_value == "10");  // the document's
    CHECK(spec->find("label"));                       // the document's row, which no probe typed
    auto conf = write_file(dir / "redis.conf", "hz 501\n");
    auto v = run_ciri({"validate", "--no-config", "--rules-only", "--spec", out.string(), conf.string()});
    CHECK(v.code == 1);
    CHECK(run_ciri({"spec", "learn", "--from-refusals", (dir / "probes.tsv").string(), "--from-flag-help",
                    (dir / "probes.tsv").string(), "--system", "redis"})
              .code == 2);

    // Facts read in a program's source replace the learned rows of their names.
    write_file(dir / "help.txt", "Member:\n  --beat '100'\n    Time (in milliseconds).\n  --timeout '1000'\n    More.\n");
    write_file(dir / "types.tsv", "beat\tuint\ntimeout\tuint\n");
    write_file(dir / "facts.tsv", "# read in the invented program's source\n"
                                  "timeout\tint\t1000\t1\t50000\t\tms\ttimeout >= 5 * beat\n");
    auto etcd = dir / "etcd.tsv";
    auto e = run_ciri({"spec", "learn", "--from-flag-help", (dir / "help.txt").string(), "--flag-types",
                       (dir / "types.tsv").string(), "--source-facts", (dir / "facts.tsv").string(), "--system",
                       "etcd", "--out", etcd.string()});
    INFO(e.err);
    REQUIRE(e.code == 0);
    std::ifstream in(etcd);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("# read in the invented program's source") != std::string::npos);
    auto table = ciri::read_spec_tsv(etcd);
    REQUIRE(table.has_value());
    CHECK(table->find("timeout")->rule.max == 50000);
    CHECK_FALSE(table->find("timeout")->documented);  // hand-written from the source
    CHECK(table->find("beat")->documented);
    auto yml = write_file(dir / "etcd.conf.yml", "beat: 300\ntimeout: 1000\n");
    auto w = run_ciri({"validate", "--no-config", "--rules-only", "--spec", etcd.string(), yml.string()});
    CHECK(w.code == 1);
    CHECK(w.out.find("timeout >= 5 * beat") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("spec diff lists changes and --merge writes since/until", "[cli][spec]") {
    auto dir = ciri::test::fresh_temp_dir("cmd-spec-diff");
    std::string head = "# x 1.0. Source: invented.\nname\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n";
    write_file(dir / "old.tsv", head + "x.keep\tint\t1\nx.gone\tbool\ttrue\nx.old.buffer.size\tint\t4096\n");
    write_file(dir / "new.tsv", head + "x.keep\tint\t1\nx.fresh\tint\t2\nx.io.buffer.size\tint\t4096\n");
    auto r = run_ciri({"spec", "diff", (dir / "old.tsv").string(), (dir / "new.tsv").string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out ==
          "added\tx.fresh\nrenamed?\tx.old.buffer.size -> x.io.buffer.size\t(a guess: same default and type, similar "
          "name)\nremoved\tx.gone\n");
    auto merged = dir / "merged.tsv";
    auto m = run_ciri({"spec", "diff", (dir / "old.tsv").string(), (dir / "new.tsv").string(), "--merge",
                       merged.string(), "--new-version", "2.0"});
    REQUIRE(m.code == 0);
    auto spec = ciri::read_spec_tsv(merged);
    REQUIRE(spec.has_value());
    CHECK(spec->find("x.fresh")->since == "2.0");
    CHECK(spec->find("x.gone")->until == "2.0");
    // --merge without the new version is a usage error.
    auto bad = run_ciri({"spec", "diff", (dir / "old.tsv").string(), (dir / "new.tsv").string(), "--merge",
                         merged.string()});
    CHECK(bad.code == 2);
    fs::remove_all(dir);
}
