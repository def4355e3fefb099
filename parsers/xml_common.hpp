// tinyxml2 helpers shared by the XML parsers (Hadoop-style and generic).
#pragma once

#include <tinyxml2.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace ciri {

/// `s` without surrounding XML whitespace (space, tab, CR, LF); text spans lines in XML.
std::string trim_xml(std::string_view s);

/// tinyxml2's error as a short message; its own strings are long and name internals.
std::string xml_error_message(tinyxml2::XMLError error);

/// Most attributes one element may carry. tinyxml2 looks for a duplicate of each new attribute
/// among those before it, so an element's cost grows with the square of its attributes.
inline constexpr size_t kMaxXmlAttributes = 2'000;

/// Fails, with the line of the start tag, when an element of `text` has more than `max`
/// attributes; run before tinyxml2 so such a file costs one linear scan. Markup that is not a
/// start tag (comments, CDATA, processing instructions, declarations) is skipped; quoted
/// attribute values may hold anything.
Expected<void> check_attribute_counts(std::string_view text, size_t max = kMaxXmlAttributes);

}  // namespace ciri
