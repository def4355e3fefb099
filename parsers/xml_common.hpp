// tinyxml2 helpers shared by the XML parsers (Hadoop-style and generic).
#pragma once

#include <tinyxml2.h>

#include <string>
#include <string_view>

namespace ciri {

/// `s` without surrounding XML whitespace (space, tab, CR, LF); text spans lines in XML.
std::string trim_xml(std::string_view s);

/// tinyxml2's error as a short message; its own strings are long and name internals.
std::string xml_error_message(tinyxml2::XMLError error);

}  // namespace ciri
