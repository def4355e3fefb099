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
