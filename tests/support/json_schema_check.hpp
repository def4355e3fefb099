// Checks a JSON document against the subset of JSON Schema our own schemas use (type, required,
// properties, items, enum, const, minimum, local $ref), so tests can hold real output to
// docs/*.schema.json without a validator package.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ciri::test {

namespace detail {

inline bool has_type(const nlohmann::json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
}

inline void check(const nlohmann::json& v, const nlohmann::json& schema, const nlohmann::json& root,
                  const std::string& at, std::vector<std::string>& errors) {
    if (schema.contains("$ref")) {
        std::string ref = schema["$ref"];  // "#/$defs/name"
        const nlohmann::json* target = &root;
        for (size_t pos = 2; pos < ref.size();) {
            size_t next = ref.find('/', pos);
            std::string part = ref.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
            target = &target->at(part);
            pos = next == std::string::npos ? ref.size() : next + 1;
        }
        check(v, *target, root, at, errors);
        return;
    }
    if (schema.contains("type") && !has_type(v, schema["type"])) {
        errors.push_back(at + ": expected " + schema["type"].get<std::string>() + ", got " + v.type_name());
        return;
    }
    if (schema.contains("const") && v != schema["const"]) errors.push_back(at + ": expected " + schema["const"].dump());
    if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
        errors.push_back(at + ": " + v.dump() + " is not one of " + schema["enum"].dump());
    if (schema.contains("minimum") && v.is_number() && v.get<double>() < schema["minimum"].get<double>())
        errors.push_back(at + ": below the minimum " + schema["minimum"].dump());
    if (v.is_object()) {
        for (const auto& name : schema.value("required", nlohmann::json::array()))
            if (!v.contains(name.get<std::string>())) errors.push_back(at + ": missing " + name.get<std::string>());
        if (schema.contains("properties"))
            for (const auto& [name, sub] : schema["properties"].items())
                if (v.contains(name)) check(v[name], sub, root, at + "." + name, errors);
    }
    if (v.is_array() && schema.contains("items"))
        for (size_t i = 0; i < v.size(); ++i) check(v[i], schema["items"], root, at + "[" + std::to_string(i) + "]", errors);
}

}  // namespace detail

/// Every way `doc` breaks `schema`, one line each ("$.files[0].verdict: ..."); empty when it holds.
inline std::vector<std::string> schema_errors(const nlohmann::json& doc, const nlohmann::json& schema) {
    std::vector<std::string> errors;
    detail::check(doc, schema, schema, "$", errors);
    return errors;
}

}  // namespace ciri::test
