#include "parsers/xml_common.hpp"

namespace ciri {

std::string trim_xml(std::string_view s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

std::string xml_error_message(tinyxml2::XMLError error) {
    switch (error) {
        case tinyxml2::XML_ERROR_EMPTY_DOCUMENT:
            return "empty xml document";
        case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT:
            return "malformed xml: mismatched end tag";
        case tinyxml2::XML_ERROR_PARSING_ELEMENT:
            return "malformed xml: bad element";
        case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE:
            return "malformed xml: bad attribute";
        case tinyxml2::XML_ERROR_PARSING_TEXT:
            return "malformed xml: bad text";
        case tinyxml2::XML_ERROR_PARSING_CDATA:
            return "malformed xml: bad cdata section";
        case tinyxml2::XML_ERROR_PARSING_COMMENT:
            return "malformed xml: bad comment";
        case tinyxml2::XML_ERROR_PARSING_DECLARATION:
            return "malformed xml: bad declaration";
        case tinyxml2::XML_ERROR_PARSING_UNKNOWN:
            return "malformed xml: bad <! section";
        case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED:
            return "xml nested too deeply";
        default:
            return "malformed xml";
    }
}

}  // namespace ciri
