#include "ciri/suppress.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("ciri:ignore is found in comments of every common style", "[suppress]") {
    auto s = find_suppressions(
        "# ciri:ignore dfs.replication we run 2 replicas on purpose\n"
        "port 6379\n"
        "<!-- ciri:ignore hbase.* legacy cluster -->\n"
        "; ciri:ignore timeout\n"
        "value = 'ciri:ignore not_a_comment'\n"
        "x = 1  // ciri:ignore x\n");
    REQUIRE(s.size() == 4);
    CHECK(s[0].parameter == "dfs.replication");
    CHECK(s[0].reason == "we run 2 replicas on purpose");
    CHECK(s[0].line == 1);
    CHECK(s[1].parameter == "hbase.*");
    CHECK(s[1].reason == "legacy cluster");
    CHECK(s[2].parameter == "timeout");
    CHECK(s[2].reason.empty());
    CHECK(s[3].parameter == "x");
    CHECK(s[3].line == 6);
}

TEST_CASE("suppressions mark findings and a fully suppressed file becomes valid", "[suppress]") {
    FileResult r{.path = "conf/hbase-site.xml", .system = "hbase", .version = "", .format = "hadoop-xml", .verdict = Outcome::misconfigured};
    r.findings = {{{"hbase.rootdir", 3, "x", "bad"}}, {{"dfs.replication", 9, "1", "low"}}, {{"port", 12, "0", "zero"}}};
    apply_suppressions(r, {{"hbase.*", "", 1}},
                       {{"dfs.replication", "*.xml", "two copies are enough here"}, {"port", "*.conf", ""}});
    CHECK(r.findings[0].suppressed == "ciri:ignore at line 1");
    CHECK(r.findings[1].suppressed == "two copies are enough here");
    CHECK(r.findings[2].suppressed.empty());  // glob does not match this file
    CHECK(r.verdict == Outcome::misconfigured);
    apply_suppressions(r, {{"port", "reviewed", 2}}, {});
    CHECK(r.verdict == Outcome::valid);
}

TEST_CASE("a 60,000-character comment or value is scanned without recursion", "[suppress]") {
    // std::regex recursed once per character here and overflowed the stack.
    std::string comment = "# " + std::string(60000, 'x') + " ciri:ignore port " + std::string(60000, 'y') + "\n";
    auto s = find_suppressions(comment + "value = " + std::string(50000, 'v') + "\n");
    REQUIRE(s.size() == 1);
    CHECK(s[0].parameter == "port");
    CHECK(s[0].reason.size() == 60000);
    CHECK(find_suppressions("# " + std::string(60000, ' ') + "ciri:ignore\n").empty());
}

TEST_CASE("only a marker after the comment opener counts", "[suppress]") {
    auto s = find_suppressions("x = 'ciri:ignore a' # ciri:ignore b why\n# ciri:ignore\tc\n# ciri:ignoreme d\n");
    REQUIRE(s.size() == 2);
    CHECK(s[0].parameter == "b");
    CHECK(s[0].reason == "why");
    CHECK(s[1].parameter == "c");
}
