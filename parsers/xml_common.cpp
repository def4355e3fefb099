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

Expected<void> check_attribute_counts(std::string_view text, size_t max) {
    int line = 1;
    size_t i = 0, n = text.size();
    // Advances to just past `end`, counting lines; false when the text ends first.
    auto skip_past = [&](std::string_view end) {
        size_t at = text.find(end, i);
        size_t stop = at == std::string_view::npos ? n : at + end.size();
        for (; i < stop; ++i)
            if (text[i] == '\n') ++line;
        return at != std::string_view::npos;
    };
    while (i < n) {
        char c = text[i];
        if (c == '\n') ++line;
        if (c != '<') { ++i; continue; }
        std::string_view rest = text.substr(i);
        if (rest.starts_with("<!--")) { if (!skip_past("-->")) break; continue; }
        if (rest.starts_with("<![CDATA[")) { if (!skip_past("]]>")) break; continue; }
        if (rest.starts_with("<?")) { if (!skip_past("?>")) break; continue; }
        ++i;
        if (rest.starts_with("<!") || rest.starts_with("</")) continue;  // declarations, end tags
        // A start tag: attributes are the '=' outside quoted values, up to the closing '>'.
        int tag_line = line;
        size_t attributes = 0;
        char quote = 0;
        for (; i < n; ++i) {
            char t = text[i];
            if (t == '\n') ++line;
            if (quote) {
                if (t == quote) quote = 0;
            } else if (t == '"' || t == '\'') {
                quote = t;
            } else if (t == '=') {
                if (++attributes > max)
                    return fail("element with more than " + std::to_string(max) + " attributes", tag_line);
            } else if (t == '>') {
                ++i;
                break;
            }
        }
    }
    return {};
}

}  // namespace ciri
