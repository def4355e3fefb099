// Hadoop-style configuration XML: <configuration><property><name/><value/>...</property>.
#include <tinyxml2.h>

#include <algorithm>

#include "parsers/registry.hpp"
#include "parsers/text.hpp"
#include "parsers/xml_common.hpp"

namespace ciri {

namespace {

using tinyxml2::XMLElement;

/// The element's own text (text and CDATA children, concatenated), entities already decoded.
std::string own_text(const XMLElement& element) {
    std::string text;
    for (auto* node = element.FirstChild(); node; node = node->NextSibling())
        if (auto* t = node->ToText()) text += t->Value();
    return text;
}

struct Walker {
    const ParseLimits& limits;
    std::vector<Parameter> params;

    Expected<void> property(const XMLElement& prop) {
        const XMLElement* name_el = prop.FirstChildElement("name");
        const XMLElement* value_el = prop.FirstChildElement("value");
        const XMLElement* desc_el = prop.FirstChildElement("description");
        const XMLElement* final_el = prop.FirstChildElement("final");
        Parameter p;
        // Hadoop also accepts the attribute form <property name=".." value=".." final=".."/>.
        if (name_el) {
            p.key = trim_xml(own_text(*name_el));
            p.line = name_el->GetLineNum();
        } else if (const char* a = prop.Attribute("name")) {
            p.key = trim_xml(a);
            p.line = prop.GetLineNum();
        }
        if (p.key.empty()) return fail("property without a name", prop.GetLineNum());
        if (value_el) {
            p.value = trim_xml(own_text(*value_el));
        } else if (const char* a = prop.Attribute("value")) {
            p.value = trim_xml(a);
        }
        if (desc_el) p.description = collapse_whitespace(own_text(*desc_el));
        std::string final_text =
            final_el ? trim_xml(own_text(*final_el))
                     : std::string(prop.Attribute("final") ? prop.Attribute("final") : "");
        if (to_lower(final_text) == "true")
            p.description += p.description.empty() ? "[final]" : " [final]";
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", p.line);
        params.push_back(std::move(p));
        return {};
    }

    Expected<void> configuration(const XMLElement& conf, int depth) {
        if (depth > limits.max_depth) return fail("xml nested too deeply", conf.GetLineNum());
        for (auto* child = conf.FirstChildElement(); child; child = child->NextSiblingElement()) {
            std::string_view name = child->Name();
            Expected<void> done;
            // Old Hadoop releases read a nested <configuration> in place; everything else
            // (xi:include, unknown elements) Hadoop skips, and so do we.
            if (name == "property") {
                done = property(*child);
            } else if (name == "configuration") {
                done = configuration(*child, depth + 1);
            }
            if (!done) return done;
        }
        return {};
    }
};

}  // namespace

/// Parses Hadoop-style XML. One Parameter per <property>: key = trimmed <name> text, value =
/// <value> text with entities decoded and surrounding whitespace trimmed ("" when <value> is
/// empty or missing), line = line of <name>, description = <description> with whitespace runs
/// collapsed. <final>true</final> is kept visible by appending "[final]" to the description,
/// because a final property cannot be overridden and a validator should know it. The root
/// element must be <configuration>. A DOCTYPE is tolerated and never expanded: tinyxml2
/// resolves no external entities and leaves unknown ones such as &xxe; as literal text.
Expected<std::vector<Parameter>> parse_hadoop_xml(std::string_view text,
                                                  const ParseLimits& limits) {
    // tinyxml2's time grows with the square of one element's attributes: refuse crowds first.
    if (auto crowded = check_attribute_counts(text); !crowded) return std::unexpected(crowded.error());
    tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
    if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS)
        return fail(xml_error_message(doc.ErrorID()), std::max(1, doc.ErrorLineNum()));  // empty: line 1
    const XMLElement* root = doc.RootElement();
    if (!root) return fail("no root element", 1);
    if (std::string_view(root->Name()) != "configuration")
        return fail("root element is <" + std::string(root->Name()) + ">, not <configuration>",
                    root->GetLineNum());
    Walker walker{limits, {}};
    if (auto done = walker.configuration(*root, 1); !done) return std::unexpected(done.error());
    return std::move(walker.params);
}

}  // namespace ciri
