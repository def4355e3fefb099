#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"

using namespace ciri;

// The fields GitLab's Code Quality report requires of each entry.
TEST_CASE("codequality output is GitLab's array of located, fingerprinted issues", "[reporter][codequality]") {
    std::ostringstream out;
    find_reporter("codequality")->render(test::sample_report(), out, {});
    auto doc = nlohmann::json::parse(out.str());
    REQUIRE(doc.is_array());
    REQUIRE(doc.size() == 3);
    std::set<std::string> fingerprints;
    const std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
    for (const auto& e : doc) {
        CHECK(e["description"].is_string());
        CHECK(e["check_name"].get<std::string>().starts_with("ciri/"));
        CHECK(severities.contains(e["severity"].get<std::string>()));
        CHECK(e["location"]["path"].is_string());
        CHECK(e["location"]["lines"]["begin"].get<int>() >= 1);
        fingerprints.insert(e["fingerprint"].get<std::string>());
    }
    CHECK(fingerprints.size() == 3);  // unique per issue
    CHECK(doc[0]["severity"] == "critical");
    CHECK(doc[0]["location"]["path"] == "conf/hdfs-site.xml");
    CHECK(doc[0]["location"]["lines"]["begin"] == 27);
    CHECK(doc[1]["severity"] == "minor");
}
