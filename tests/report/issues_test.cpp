#include "ciri/report/issues.hpp"

#include <catch2/catch.hpp>

#include "tests/report/report_sample.hpp"

using namespace ciri;

TEST_CASE("issues_of lists active findings, inconclusive and unreadable files, not suppressed ones", "[issues]") {
    auto issues = issues_of(test::sample_report());
    REQUIRE(issues.size() == 3);
    CHECK(issues[0].path == "conf/hdfs-site.xml");
    CHECK(issues[0].line == 27);
    CHECK(issues[0].rule_id == "ciri/misconfiguration");  // the sample's voters gave no category
    CHECK(issues[0].severity == "error");
    CHECK(issues[0].parameter == "dfs.datanode.http.address");
    CHECK(issues[0].message.starts_with("dfs.datanode.http.address = 0.0.0.0:98640: port 98640"));
    CHECK(issues[1].rule_id == "ciri/inconclusive");
    CHECK(issues[1].severity == "warning");
    CHECK(issues[1].line == 1);
    CHECK(issues[2].rule_id == "ciri/input-error");
    CHECK(issues[2].line == 12);
    CHECK(issues[2].message == "expected </property>");
}

TEST_CASE("an issue's fingerprint survives a line move but not a new parameter", "[issues]") {
    auto report = test::sample_report();
    auto before = issues_of(report)[0].fingerprint;
    report.files[0].findings[0].line = 99;
    CHECK(issues_of(report)[0].fingerprint == before);
    report.files[0].findings[0].parameter = "dfs.namenode.http.address";
    CHECK(issues_of(report)[0].fingerprint != before);
    CHECK(before.size() == 64);
}
