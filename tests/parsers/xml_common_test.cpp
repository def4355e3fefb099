#include "parsers/xml_common.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("trim_xml strips XML whitespace, newlines included", "[xml]") {
    CHECK(trim_xml("\n\t  a b \r\n") == "a b");
    CHECK(trim_xml(" \n ").empty());
    CHECK(trim_xml("x") == "x");
}

TEST_CASE("xml_error_message gives short messages for tinyxml2's errors", "[xml]") {
    CHECK(xml_error_message(tinyxml2::XML_ERROR_EMPTY_DOCUMENT) == "empty xml document");
    CHECK(xml_error_message(tinyxml2::XML_ERROR_MISMATCHED_ELEMENT) ==
          "malformed xml: mismatched end tag");
    CHECK(xml_error_message(tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED) == "xml nested too deeply");
    CHECK(xml_error_message(tinyxml2::XML_ERROR_FILE_NOT_FOUND) == "malformed xml");
    tinyxml2::XMLDocument doc;
    CHECK(xml_error_message(doc.Parse("<a><b></a>")) == "malformed xml: mismatched end tag");
}

TEST_CASE("check_attribute_counts refuses crowded elements in one linear scan", "[xml]") {
    std::string crowded = "<root>\n<!-- a=1 b=2 -->\n<server";
    for (int i = 0; i < 11; ++i) crowded += "\n a" + std::to_string(i) + "=\"x=y\"";
    crowded += "/>\n</root>\n";
    CHECK(ciri::check_attribute_counts(crowded, 11));
    auto e = ciri::check_attribute_counts(crowded, 10);
    REQUIRE_FALSE(e);
    CHECK(e.error().line == 3);
    CHECK(e.error().message == "element with more than 10 attributes");
    // Comments, CDATA, quoted values and declarations hold '=' that are not attributes.
    CHECK(ciri::check_attribute_counts("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"=\">]>"
                                       "<a b='=='><![CDATA[= = =]]><!-- = = --></a>", 1));
    std::string many = "<r";
    for (int i = 0; i < 200000; ++i) many += " a" + std::to_string(i) + "='1'";
    CHECK_FALSE(ciri::check_attribute_counts(many + "/>"));
}
