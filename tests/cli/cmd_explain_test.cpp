// `ciri explain FILE PARAM`: value, the rules' row, and the code that reads it.
#include <catch2/catch.hpp>

#include "tests/cli/cli_run.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri::test;
namespace fs = std::filesystem;

TEST_CASE("explain: value, rules' row, where the code reads it, conversion and checks", "[cli][explain][code]") {
    TempDir dir("explain");
    auto file = write_file(dir.path / "hdfs-site.xml",
                           "<configuration>\n  <property>\n    <name>dfs.replication</name>\n    <value>0</value>\n"
                           "  </property>\n</configuration>\n");
    auto spec = write_file(dir.path / "hdfs.tsv", "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
                                                  "dfs.replication\tint\t3\t1\t512\t\t\t\n");
    fs::path tree = fs::path(CIRI_SOURCE_DIR) / "tests/fixtures/code";
    auto r = run_ciri({"explain", file.string(), "dfs.replication", "--system", "hdfs", "--spec", spec.string(),
                       "--code-dir", tree.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("dfs.replication = 0\n  " + file.string() + ":3, hdfs") != std::string::npos);
    CHECK(r.out.find("dfs.replication\tint\t3\t1\t512") != std::string::npos);
    CHECK(r.out.find("java/NameNode.java:9  conf.getInt through DFS_REPLICATION_KEY") != std::string::npos);
    CHECK(r.out.find("conversion: int") != std::string::npos);
    CHECK(r.out.find("check:      line 11: if (replication < 1 || replication > 512) {") != std::string::npos);

    auto no_code = run_ciri({"explain", file.string(), "dfs.replication", "--system", "hdfs"});
    CHECK(no_code.code == 0);
    CHECK(no_code.out.find("give --code-dir") != std::string::npos);

    auto unknown = run_ciri({"explain", file.string(), "dfs.nope", "--system", "hdfs"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("sets no parameter 'dfs.nope' (it sets dfs.replication)") != std::string::npos);
}
