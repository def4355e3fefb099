#include <catch2/catch.hpp>
#include <sstream>
#include <tinyxml2.h>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"

using namespace ciri;

TEST_CASE("junit output is well-formed XML with one testcase per file", "[reporter][junit]") {
    std::ostringstream out;
    find_reporter("junit")->render(test::sample_report(), out, {});
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(out.str().c_str()) == tinyxml2::XML_SUCCESS);
    auto* suite = doc.FirstChildElement("testsuites")->FirstChildElement("testsuite");
    REQUIRE(suite);
    CHECK(suite->IntAttribute("tests") == 4);
    CHECK(suite->IntAttribute("failures") == 1);
    CHECK(suite->IntAttribute("errors") == 1);
    CHECK(suite->IntAttribute("skipped") == 1);
    int cases = 0;
    for (auto* tc = suite->FirstChildElement("testcase"); tc; tc = tc->NextSiblingElement("testcase")) ++cases;
    CHECK(cases == 4);
    auto* first = suite->FirstChildElement("testcase");
    CHECK(std::string(first->Attribute("classname")) == "ciri.hdfs");
    auto* failure = first->FirstChildElement("failure");
    REQUIRE(failure);
    std::string text = failure->GetText();
    CHECK(text.find("dfs.datanode.http.address") != std::string::npos);
    CHECK(text.find("dfs.replication") == std::string::npos);  // suppressed findings don't fail
    auto* last = first->NextSiblingElement()->NextSiblingElement()->NextSiblingElement();
    CHECK(std::string(last->Attribute("name")) == "conf/broken, \"odd\" <name>.xml");
}
