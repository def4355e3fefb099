// Findings a team has accepted, and findings that were there before a change: both are kept in
// the report but marked suppressed, so only what is new fails a run.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "base/error.hpp"
#include "ciri/report/report.hpp"

namespace ciri {

/// How findings are matched across runs: by file and parameter, never by line (lines move).
struct FindingKey {
    std::string path;
    std::string parameter;
    auto operator<=>(const FindingKey&) const = default;
};

/// Writes the active findings of `report` as a baseline (JSON, atomically).
Expected<void> write_baseline(const std::filesystem::path& file, const RunReport& report);

/// Reads a baseline written by write_baseline; an Error names the file and what is wrong.
Expected<std::set<FindingKey>> read_baseline(const std::filesystem::path& file);

/// Marks suppressed ("in baseline FILE") every active finding of `report` whose key is listed.
/// Returns how many were marked.
int apply_baseline(RunReport& report, const std::set<FindingKey>& baseline, const std::string& label);

/// Marks suppressed every active finding of `now` that `before` (the same files at an older
/// revision) already had with the same parameter and value: the change did not introduce it.
/// A parameter newly set, or set to another value, stays reported. Returns how many were marked.
int keep_new_findings(RunReport& now, const RunReport& before, const std::string& rev);

}  // namespace ciri
