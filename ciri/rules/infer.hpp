// What a parameter should hold, inferred from the evidence there is: a spec row (written or
// learned), a sibling row, the parameter's name, its description. No evidence, no rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ciri/rules/spec.hpp"
#include "ciri/rules/value.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// The rule a parameter's value is checked against and how much the evidence is trusted.
struct Expectation {
    ValueRule rule;
    /// 0..1: 1 for a hand-written spec row, lower for learned rows, siblings and names.
    double confidence = 0;
    /// Where it came from: "spec", "learned", "sibling", "name", "description".
    std::string basis;
    /// Name-inferred numbers: only values that are plainly not numbers are flagged
    /// (unknown unit letters, true/false, punctuation without digits, negative fractions,
    /// counts below -1); anything a system might accept ("unlimited", "05:00") passes.
    bool lenient = false;
    /// The name says the value is a quantity (a size, a time, a count): below -2 is wrong
    /// (-1 and -2 are common "no limit"/"default" sentinels) unless the description speaks
    /// of negative values. Always on for lenient expectations.
    bool quantity = false;
    /// The name says the value counts things (threads, retries): beyond a 32-bit integer
    /// is wrong too.
    bool count_like = false;
};

/// The lower-cased words of a parameter name: split at `.`, `_`, `-`, spaces, `[`/`]`, and
/// camelCase boundaries (`bindAddress` -> bind, address; `HTTPPort` -> http, port).
std::vector<std::string> name_tokens(std::string_view key);

/// The expectation the name and description alone give (no spec); nullopt when they say
/// nothing certain enough. `format` picks boolean spellings (Python: True/False).
std::optional<Expectation> infer_from_name(const Parameter& param, std::string_view format = {});

/// The allowed values a description lists ("Possible values are A, B and C", "Valid
/// options are: ..."); empty when it lists none clearly.
std::vector<std::string> description_enum(std::string_view description);

/// The best expectation for `param`: a spec row (hand-written 1.0, learned or documented 0.9;
/// a documented row of kind string or any is passed over), else a
/// learned sibling row (same name but one word, same kind: 0.75), else the name and
/// description. A learned row of kind string or any means "seen with free text": no check.
std::optional<Expectation> expect(const Parameter& param, const SpecSet& spec, std::string_view format = {});

}  // namespace ciri
