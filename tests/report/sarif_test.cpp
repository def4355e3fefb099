#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"

using namespace ciri;

// The fields GitHub code scanning requires of an uploaded SARIF file.
TEST_CASE("sarif output is SARIF 2.1.0 with what GitHub code scanning requires", "[reporter][sarif]") {
    std::ostringstream out;
    find_reporter("sarif")->render(test::sample_report(), out, {});
    auto j = nlohmann::json::parse(out.str());
    CHECK(j["version"] == "2.1.0");
    CHECK(j["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
    REQUIRE(j["runs"].size() == 1);
    const auto& run = j["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "ciri");
    const auto& rules = run["tool"]["driver"]["rules"];
    REQUIRE(rules.is_array());
    std::set<std::string> rule_ids;
    for (const auto& rule : rules) {
        rule_ids.insert(rule["id"]);
        CHECK(rule["shortDescription"]["text"].is_string());
    }
    const auto& results = run["results"];
    REQUIRE(results.size() == 4);  // 2 findings (1 suppressed), 1 inconclusive, 1 input error
    for (const auto& r : results) {
        CHECK(rule_ids.count(r["ruleId"].get<std::string>()) == 1);
        CHECK(rules[r["ruleIndex"].get<int>()]["id"] == r["ruleId"]);
        CHECK(r["message"]["text"].is_string());
        std::string level = r["level"];
        CHECK((level == "error" || level == "warning" || level == "note"));
        const auto& loc = r["locations"][0]["physicalLocation"];
        CHECK(loc["artifactLocation"]["uri"].is_string());
        CHECK(loc["artifactLocation"]["uri"].get<std::string>().find(' ') == std::string::npos);
        CHECK(loc["region"]["startLine"].get<int>() >= 1);
    }
    CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 27);
    CHECK(results[1]["suppressions"][0]["kind"] == "inSource");
    CHECK(results[3]["ruleId"] == "ciri/input-error");
    CHECK(results[3]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12);
}

TEST_CASE("sarif: a syntax finding has a rule of its own", "[reporter][sarif]") {
    RunReport report = test::syntax_report();
    std::ostringstream out;
    find_reporter("sarif")->render(report, out, {});
    auto j = nlohmann::json::parse(out.str());
    const auto& r = j["runs"][0]["results"][0];
    CHECK(r["ruleId"] == "ciri/syntax");
    CHECK(j["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"].get<int>()]["id"] == "ciri/syntax");
    CHECK(r["message"]["text"] == "discovery: syntax error: illegal map value: discovery: file:::");
    CHECK(r["locations"][0]["physicalLocation"]["region"]["startLine"] == 3);
}

TEST_CASE("sarif: each rule listed once; findings take the rule of their category; --severity error drops warnings",
          "[reporter][sarif]") {
    RunReport report = test::sample_report();
    report.files[0].findings[0].category = "Range";
    std::ostringstream out;
    find_reporter("sarif")->render(report, out, {});
    auto j = nlohmann::json::parse(out.str());
    const auto& rules = j["runs"][0]["tool"]["driver"]["rules"];
    std::set<std::string> ids;
    for (const auto& r : rules) CHECK(ids.insert(r["id"].get<std::string>()).second);
    for (const char* id : {"ciri/syntax", "ciri/range", "ciri/dependency", "ciri/version", "ciri/environment",
                           "ciri/misconfiguration", "ciri/inconclusive", "ciri/input-error"})
        CHECK(ids.contains(id));
    const auto& results = j["runs"][0]["results"];
    CHECK(results[0]["ruleId"] == "ciri/range");
    CHECK(rules[results[0]["ruleIndex"].get<int>()]["id"] == "ciri/range");
    CHECK(results[1]["ruleId"] == "ciri/misconfiguration");  // no voter gave a category
    CHECK(results[2]["level"] == "warning");                 // the inconclusive file

    std::ostringstream errors_only;
    find_reporter("sarif")->render(report, errors_only, {.min_severity = "error"});
    auto e = nlohmann::json::parse(errors_only.str());
    for (const auto& r : e["runs"][0]["results"]) CHECK(r["level"] == "error");
    CHECK(e["runs"][0]["results"].size() == results.size() - 1);
}
