// The rules a report names: one id per kind of finding, so code scanning and CI dashboards can
// group, filter and explain them. Findings map to a rule by their category.
#pragma once

#include <span>
#include <string_view>

#include "ciri/report/report.hpp"

namespace ciri {

/// One rule as SARIF and the CI formats describe it.
struct RuleInfo {
    std::string_view id;     ///< "ciri/range"
    std::string_view name;   ///< "Range"
    std::string_view brief;  ///< one line
    std::string_view full;   ///< what it means
    std::string_view help;   ///< what to do, with the right flag names
    std::string_view level;  ///< "error" or "warning": its severity
};

/// Every rule, in a fixed order (SARIF's ruleIndex is a position here).
std::span<const RuleInfo> report_rules();

/// The rule of a finding: `ciri/syntax` for a line the parser could not read, else by its
/// category (`ciri/range`, `ciri/dependency`, `ciri/version`, `ciri/environment`), else
/// `ciri/misconfiguration` when no voter gave a category.
const RuleInfo& rule_for(const ReportedFinding& finding);

/// The rules of whole-file results: no verdict (`ciri/inconclusive`, a warning) and a file
/// that could not be read (`ciri/input-error`).
const RuleInfo& inconclusive_rule();
const RuleInfo& input_error_rule();

/// The position of `rule` in report_rules().
size_t rule_index(const RuleInfo& rule);

}  // namespace ciri
