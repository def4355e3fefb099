#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"
#include "tests/support/json_schema_check.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri;

TEST_CASE("json output has files with verdicts and findings, a summary and usage", "[reporter][json]") {
    std::ostringstream out;
    find_reporter("json")->render(test::sample_report(), out, {});
    auto j = nlohmann::json::parse(out.str());
    CHECK(j["schema_version"] == kJsonSchemaVersion);
    REQUIRE(j["files"].size() == 4);
    const auto& f0 = j["files"][0];
    CHECK(f0["path"] == "conf/hdfs-site.xml");
    CHECK(f0["verdict"] == "misconfigured");
    REQUIRE(f0["findings"].size() == 1);
    CHECK(f0["findings"][0]["parameter"] == "dfs.datanode.http.address");
    CHECK(f0["findings"][0]["line"] == 27);
    CHECK(f0["findings"][0]["votes"] == 2);
    CHECK(f0["findings"][0]["voters"] == nlohmann::json({"openai/gpt-4o", "rules"}));
    REQUIRE(f0["suppressed"].size() == 1);
    CHECK(f0["suppressed"][0]["suppressed"] == "accepted risk, see TICKET-1");
    CHECK(j["files"][3]["error"]["line"] == 12);
    CHECK(j["summary"]["misconfigured"] == 1);
    CHECK(j["summary"]["suppressed"] == 1);
    CHECK(j["usage"]["requests"] == 12);
    CHECK(j["usage"]["prompt_tokens"] == 9000);
    CHECK(j["usage"]["estimated_cost_usd"].get<double>() == Approx(0.0123));
}

TEST_CASE("json output holds to docs/report.schema.json", "[reporter][json][schema]") {
    auto schema = nlohmann::json::parse(test::read_file(test::source_dir() / "docs" / "report.schema.json"));
    std::ostringstream out;
    find_reporter("json")->render(test::sample_report(), out, {});
    auto doc = nlohmann::json::parse(out.str());
    auto errors = test::schema_errors(doc, schema);
    for (const auto& e : errors) UNSCOPED_INFO(e);
    CHECK(errors.empty());
    // The check itself catches a broken document.
    doc["files"][0]["verdict"] = "fine";
    doc["summary"].erase("files");
    doc["files"][1]["parameters"] = "7";
    CHECK(test::schema_errors(doc, schema).size() == 3);
}
