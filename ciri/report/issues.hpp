// A run flattened into located issues, the shape every CI format shares (one issue per active
// finding, per unreadable file and per inconclusive file).
#pragma once

#include <string>
#include <vector>

#include "ciri/report/report.hpp"

namespace ciri {

/// One located problem, as CI formats (checkstyle, GitLab Code Quality, annotations) show it.
struct Issue {
    std::string path;
    int line = 1;              ///< 1-based; 1 when the problem is the whole file
    std::string rule_id;       ///< "ciri/misconfiguration", "ciri/inconclusive", "ciri/input-error"
    std::string severity;      ///< "error" or "warning"
    std::string parameter;     ///< "" for whole-file issues
    std::string message;       ///< one line: "param = value: reason [votes ...]" or the file's error
    std::string fingerprint;   ///< stable across runs: path, rule and parameter, never the line
};

/// The issues of `report` in file order: errors and inconclusive files first within each file,
/// then its active (not suppressed) findings. Suppressed findings are left out.
std::vector<Issue> issues_of(const RunReport& report);

}  // namespace ciri
