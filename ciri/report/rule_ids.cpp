#include "ciri/report/rule_ids.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace ciri {

namespace {

constexpr std::string_view kFix = "Fix the value, or add `ciri:ignore <parameter> <why>` in a comment of the file "
                                  "(or `ignore:` in .ciri.yaml) when it is intended.";

// The categories are the paper's (Table III) plus environment: facts outside the file.
constexpr RuleInfo kRules[] = {
    {"ciri/misconfiguration", "Misconfiguration", "A parameter has a value the system will reject or misuse",
     "The voters (LLMs and ciri's rules) agreed that this parameter is misconfigured and gave no category.", kFix,
     "error"},
    {"ciri/syntax", "Syntax", "A value or line is not valid in its format or type",
     "The file's parser could not read the line, or the value is not of the parameter's type or shape "
     "(a number, a size, a path, a URL).",
     kFix, "error"},
    {"ciri/range", "Range", "A value is outside what the parameter accepts",
     "The value is out of the parameter's range, or not one of its allowed values.", kFix, "error"},
    {"ciri/dependency", "Dependency", "A value is inconsistent with another parameter",
     "Two parameters disagree: a minimum above its maximum, a feature enabled without what it needs, batch "
     "sizes that do not multiply out.",
     kFix, "error"},
    {"ciri/version", "Version", "A parameter does not exist or changed in this version",
     "The parameter was added, renamed or removed in another version of the system (see --sys-version).", kFix,
     "error"},
    {"ciri/environment", "Environment", "A value does not fit the machines or the job",
     "The value disagrees with a fact outside the file: GPUs per node, world size, GPU model, the model's shape "
     "(see --context).",
     kFix, "error"},
    {"ciri/inconclusive", "Inconclusive", "No verdict could be reached for this file",
     "Too few voters answered (a backend unreachable, below --quorum) to call the file valid.",
     "Run `ciri doctor` to check the configured backends.", "warning"},
    {"ciri/input-error", "InputError", "The file could not be read",
     "ciri could not read this file (missing, binary, too large, an unsupported encoding), so it was not "
     "validated.",
     "Check the file, or name its format with --input-format.", "error"},
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::span<const RuleInfo> report_rules() { return kRules; }

const RuleInfo& rule_for(const ReportedFinding& f) {
    if (f.kind == "syntax") return kRules[1];
    std::string want = "ciri/" + lower(f.category);
    for (const auto& r : kRules)
        if (r.id == want && r.level == "error" && r.id != "ciri/input-error") return r;
    return kRules[0];
}

const RuleInfo& inconclusive_rule() { return kRules[6]; }
const RuleInfo& input_error_rule() { return kRules[7]; }

size_t rule_index(const RuleInfo& rule) { return static_cast<size_t>(&rule - kRules); }

}  // namespace ciri
