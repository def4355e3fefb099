// Any XML that is not Hadoop-style: elements and attributes flattened to dotted keys.
#include <tinyxml2.h>

#include <algorithm>
#include <map>

#include "parsers/registry.hpp"
#include "parsers/text.hpp"
#include "parsers/xml_common.hpp"

namespace ciri {

namespace {

using tinyxml2::XMLElement;

/// The comment directly before `element` (only blank text between), whitespace collapsed.
std::string leading_comment(const XMLElement& element) {
    for (auto* node = element.PreviousSibling(); node; node = node->PreviousSibling()) {
        if (auto* c = node->ToComment()) return collapse_whitespace(c->Value());
        auto* t = node->ToText();
        if (!t || !collapse_whitespace(t->Value()).empty()) break;
    }
    return {};
}

struct Walker {
    const ParseLimits& limits;
    std::vector<Parameter> params;

    Expected<void> add(std::string key, std::string value, int line,
                       const std::string& description) {
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", line);
        params.push_back({std::move(key), std::move(value), line, description, {}});
        return {};
    }

    Expected<void> element(const XMLElement& el, const std::string& path, int depth) {
        int line = el.GetLineNum();
        if (depth > limits.max_depth) return fail("xml nested too deeply", line);
        std::string description = leading_comment(el);
        for (auto* a = el.FirstAttribute(); a; a = a->Next())
            if (auto done = add(path + ".@" + a->Name(), a->Value(), line, description); !done)
                return done;

        std::string text;
        for (auto* node = el.FirstChild(); node; node = node->NextSibling())
            if (auto* t = node->ToText()) text += t->Value();
        const XMLElement* first_child = el.FirstChildElement();
        if (!first_child) {
            // A leaf is a setting even when empty (<enabled/>), unless attributes carry it.
            if (!el.FirstAttribute() || !is_blank(collapse_whitespace(text)))
                return add(path, trim_xml(text), line, description);
            return {};
        }
        // Mixed content is rare in configuration, but its text must not vanish.
        if (!collapse_whitespace(text).empty())
            if (auto done = add(path, collapse_whitespace(text), line, description); !done)
                return done;

        // Repeated siblings get [i] so every key is unique; single ones stay plain.
        std::map<std::string_view, int> count;
        for (auto* c = first_child; c; c = c->NextSiblingElement()) ++count[c->Name()];
        std::map<std::string_view, int> seen;
        for (auto* c = first_child; c; c = c->NextSiblingElement()) {
            std::string_view name = c->Name();
            std::string child_path = path + "." + std::string(name);
            if (count[name] > 1) child_path += "[" + std::to_string(seen[name]++) + "]";
            if (auto done = element(*c, child_path, depth + 1); !done) return done;
        }
        return {};
    }
};

}  // namespace

/// Parses generic XML into dotted keys from the root element: `Server.Service.Connector.@port`
/// for attributes, `a.b` for the text of a leaf element (trimmed; entities decoded), `b[0]`,
/// `b[1]` for repeated sibling elements. An empty leaf without attributes is a parameter with
/// value "". A comment directly before an element becomes the description of its parameters.
/// Every parameter's line is the line of its element. Nesting deeper than limits.max_depth is
/// an Error at the offending element. DOCTYPEs are tolerated and never expanded.
Expected<std::vector<Parameter>> parse_xml(std::string_view text, const ParseLimits& limits) {
    // tinyxml2's time grows with the square of one element's attributes: refuse crowds first.
    if (auto crowded = check_attribute_counts(text); !crowded) return std::unexpected(crowded.error());
    tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
    if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS)
        return fail(xml_error_message(doc.ErrorID()), std::max(1, doc.ErrorLineNum()));  // empty: line 1
    const XMLElement* root = doc.RootElement();
    if (!root) return fail("no root element", 1);
    Walker walker{limits, {}};
    if (auto done = walker.element(*root, root->Name(), 1); !done)
        return std::unexpected(done.error());
    return std::move(walker.params);
}

}  // namespace ciri
