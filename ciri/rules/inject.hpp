// `ciri inject`: misconfigured variants of a valid file, following the generation rules of
// the paper's Table III, so labeled datasets can be built for any system.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// One generation rule of Table III.
struct InjectRule {
    std::string_view category;     ///< Syntax, Range, Dependency, Version
    std::string_view subcategory;  ///< Data Type, Path, URL, IP Address, Port, Permission, Basic Numeric,
                                   ///< Bool, Enum, Control, Value Relationship, Parameter Change
    std::string_view slug;         ///< used in variant ids, e.g. "range-port"
};

/// The rules, in the order variants are generated.
const std::vector<InjectRule>& inject_rules();

/// How many variants to make and how to pick them.
struct InjectOptions {
    int per_rule = 1;        ///< at most this many variants per rule
    std::uint64_t seed = 0;  ///< picks parameters and values; the same seed gives the same output
};

/// A file made from the original: the valid twin (empty category) or one misconfiguration.
struct Variant {
    std::string id;           ///< "valid" or "<rule slug>-<n>"
    std::string category;     ///< "" for the valid twin
    std::string subcategory;
    std::vector<std::string> params;  ///< the misconfigured parameters (keys as in the file)
    std::vector<std::string> values;  ///< parallel to params: the value each has in `text`
    std::string text;                 ///< the whole file
};

/// The valid twin, then up to `per_rule` variants per rule that applies to `file`. A rule
/// applies to a parameter when the spec or the parameter's name gives its kind with enough
/// confidence (see infer.hpp); dependency rules need the spec's constraints (or a
/// min/max pair in the file); version rules need spec rows with removed_in/added_in and a
/// file version. Every misconfigured text differs from the original only in the value text
/// of the changed parameter(s), or in one added parameter.
std::vector<Variant> inject(const ConfigFile& file, const SpecSet& spec, const InjectOptions& options = {});

/// `file.text` with the value of `param` (one of file.params) replaced by `value`, keeping
/// every other byte. Quotes around the old value are kept around the new one; XML formats
/// get the value escaped. Fails when the value text cannot be found at the parameter's line.
Expected<std::string> replace_value(const ConfigFile& file, const Parameter& param, std::string_view value);

/// `file.text` with one more parameter written in the file's format (hadoop-xml, properties,
/// conf, env, directives, python, yaml with an undotted key). Fails for other formats.
Expected<std::string> add_parameter(const ConfigFile& file, std::string_view key, std::string_view value);

}  // namespace ciri
