#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <string>
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

namespace {

// The attributes junit-10.xsd (the schema Jenkins and most CI systems read) allows per element.
void check_attributes(const tinyxml2::XMLElement* e, const std::set<std::string>& allowed) {
    for (auto* a = e->FirstAttribute(); a; a = a->Next()) {
        INFO(e->Name() << " has attribute " << a->Name());
        CHECK(allowed.contains(a->Name()));
    }
    for (auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
        std::string n = c->Name();
        if (n == "testsuite")
            check_attributes(c, {"name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp",
                                 "hostname", "id", "package", "file", "log", "url", "version"});
        else if (n == "testcase")
            check_attributes(c, {"name", "assertions", "time", "classname", "status"});
        else if (n == "failure" || n == "error")
            check_attributes(c, {"message", "type"});
        else if (n == "skipped")
            check_attributes(c, {"message"});
        else
            FAIL("element not in junit-10.xsd here: " << n);
    }
}

}  // namespace

TEST_CASE("junit output uses only the attributes junit-10.xsd allows", "[reporter][junit]") {
    std::ostringstream out;
    find_reporter("junit")->render(test::sample_report(), out, {});
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(out.str().c_str()) == tinyxml2::XML_SUCCESS);
    auto* root = doc.FirstChildElement("testsuites");
    REQUIRE(root);
    CHECK(root->Attribute("skipped") == nullptr);  // <testsuites> has no skipped attribute there
    check_attributes(root, {"name", "time", "tests", "failures", "disabled", "errors"});
}
