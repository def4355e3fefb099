#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <tinyxml2.h>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"

using namespace ciri;

TEST_CASE("checkstyle output has a file element per file and an error per issue", "[reporter][checkstyle]") {
    std::ostringstream out;
    find_reporter("checkstyle")->render(test::sample_report(), out, {});
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(out.str().c_str()) == tinyxml2::XML_SUCCESS);
    auto* root = doc.FirstChildElement("checkstyle");
    REQUIRE(root);
    int files = 0, errors = 0;
    for (auto* f = root->FirstChildElement("file"); f; f = f->NextSiblingElement("file")) {
        ++files;
        for (auto* e = f->FirstChildElement("error"); e; e = e->NextSiblingElement("error")) {
            ++errors;
            CHECK(e->IntAttribute("line") >= 1);
            CHECK(e->Attribute("severity"));
            CHECK(e->Attribute("message"));
            CHECK(std::string(e->Attribute("source")).starts_with("ciri/"));
        }
    }
    CHECK(files == 4);
    CHECK(errors == 3);  // the suppressed finding is not one
    auto* first = root->FirstChildElement("file");
    CHECK(std::string(first->Attribute("name")) == "conf/hdfs-site.xml");
    CHECK(first->FirstChildElement("error")->IntAttribute("line") == 27);
    // Names with quotes and markup survive escaping.
    auto* last = first->NextSiblingElement()->NextSiblingElement()->NextSiblingElement();
    CHECK(std::string(last->Attribute("name")) == "conf/broken, \"odd\" <name>.xml");
}
