#include "ciri/report/issues.hpp"

#include <algorithm>

#include "base/sha256.hpp"
#include "ciri/report/reporter.hpp"
#include "ciri/report/rule_ids.hpp"

namespace ciri {

namespace {

Issue make_issue(const std::string& path, int line, std::string rule, std::string severity, std::string parameter,
                 std::string message) {
    Issue i{path, std::max(line, 1), std::move(rule), std::move(severity), std::move(parameter), std::move(message), {}};
    // Lines move as files are edited; a finding is the same finding while path, rule and
    // parameter stay, which is what CI systems use to tell new findings from old ones.
    i.fingerprint = sha256_hex(i.path + "\n" + i.rule_id + "\n" + i.parameter);
    return i;
}

}  // namespace

std::vector<Issue> issues_of(const RunReport& report, const ReportOptions& options) {
    std::vector<Issue> out;
    for (const auto& file : report.files) {
        if (file.verdict == Outcome::error) {
            out.push_back(make_issue(file.path, file.error_line, std::string(input_error_rule().id), "error", "", file.error));
            continue;
        }
        if (file.verdict == Outcome::inconclusive && options.min_severity != "error")
            out.push_back(make_issue(file.path, 1, std::string(inconclusive_rule().id), "warning", "",
                                     "no verdict could be reached for this file"));
        for (const ReportedFinding* f : file.active()) {
            std::string msg = f->kind == "syntax"
                                  ? (f->parameter.empty() ? "" : f->parameter + ": ") + f->reason + ": " + shown_value(*f, options)
                                  : f->parameter + " = " + shown_value(*f, options) + ": " + shown_reason(*f, file, options);
            if (auto note = vote_note(*f); !note.empty()) msg += " [" + note + "]";
            const RuleInfo& rule = rule_for(*f);
            out.push_back(make_issue(file.path, f->line, std::string(rule.id), std::string(rule.level), f->parameter, msg));
        }
    }
    return out;
}

}  // namespace ciri
