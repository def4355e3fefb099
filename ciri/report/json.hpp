// The parts of the JSON report, shared by -f json (one document) and -f jsonl (one line per file).
#pragma once

#include <nlohmann/json.hpp>

#include "ciri/report/reporter.hpp"

namespace ciri {

/// One file's object: path, system, verdict, findings, suppressed findings, notes (and error).
nlohmann::json file_json(const FileResult& file, const ReportOptions& options);

/// The run's counts: files per verdict, suppressed, backends down, skipped, unfinished, wall time.
nlohmann::json summary_json(const RunReport& report);

/// The run's requests, tokens and estimated cost.
nlohmann::json usage_json(const RunReport& report);

}  // namespace ciri
