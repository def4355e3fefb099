// The rules voter: checks a parsed file against spec tables and generic value rules, and
// answers like an LLM would, without inventing a parameter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ciri/rules/facts.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// One parameter the rules believe is misconfigured.
struct RuleFinding {
    std::string param;        ///< the file's own key
    std::string value;        ///< as written
    int line = 0;
    std::string reason;       ///< says what is wrong and what would be right
    double confidence = 0;    ///< 0..1; 1 = certain (a hand-written spec row was broken)
    std::string category;     ///< the paper's Table III category: Syntax, Range, Dependency, Version
    std::string subcategory;  ///< e.g. Port, Data Type, Value Relationship
    std::string basis;        ///< evidence: spec, learned, sibling, name, description, constraint, pair
};

/// How sure a finding must be to be reported.
struct RulesOptions {
    /// Findings below this confidence are dropped: an unsure checker says nothing.
    double min_confidence = 0.6;
    /// Facts the file does not hold (`context.NAME` in constraints); null = none given. A
    /// constraint that needs a fact not given is skipped and says so in RulesVerdict::notes.
    const Facts* facts = nullptr;
};

/// What the rules say about one file.
struct RulesVerdict {
    std::vector<RuleFinding> findings;  ///< at most one per parameter, in file order
    int checked = 0;                    ///< parameters that had a rule to check against
    /// Constraints skipped for want of a fact, each saying which `--context` key would enable it.
    std::vector<std::string> notes;

    bool has_error() const { return !findings.empty(); }

    /// The answer in the LLM format: {"hasError": .., "errParameter": [..], "reason": [..]}.
    std::string answer_json() const;
};

/// Checks every parameter of `file` against what is known of it (spec row, learned sibling,
/// name, description; see infer.hpp), then the spec's cross-parameter constraints,
/// version rows, and min/max pairs (`x.min.y` must not exceed `x.max.y`). Deterministic;
/// reports only parameters of the file; `file.version` (when set) drives version rows.
RulesVerdict check_file(const ConfigFile& file, const SpecSet& spec, const RulesOptions& options = {});

/// The number `value` stands for in a constraint: integers and decimals as written (a bare
/// duration or size in `row`'s unit, converted to ms or bytes), durations in ms, sizes in
/// bytes, booleans as 1/0; nullopt for anything else.
std::optional<long double> constraint_number(std::string_view value, const ParamSpec* row);

/// How the rules voter takes part in a vote beside LLMs (config keys `rules.weight` and
/// `rules.decisive`).
struct RulesVoterConfig {
    double weight = 1.0;     ///< the voter's weight in the `param` vote, as an LLM backend's
    bool decisive = false;   ///< findings of confidence >= decisive_confidence stand on their own
    /// 0.8 takes in the documented tables' rows (0.9) and the generic min/max pairs and
    /// defaults-based constraints (0.8), not the name-inferred shapes. Measured on the artifact's
    /// recorded answers (README): against 1.0 it raises rules + LLM parameter F1 for every LLM
    /// tried, since an LLM's silence is weak evidence (it misses 25-55% of mistakes) and the
    /// rules' false alarm rate is 0.55%.
    double decisive_confidence = 0.8;
};

/// The parameters of `verdict` that stand whatever the other voters say: none unless
/// `config.decisive`, else those with confidence >= config.decisive_confidence.
std::vector<std::string> decisive_params(const RulesVerdict& verdict, const RulesVoterConfig& config);

}  // namespace ciri
