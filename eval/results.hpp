// results.json: the scores of a run, machine-readable, and `ciri eval compare`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "eval/metrics.hpp"

namespace ciri {

/// Scores as JSON: {"items", "inconclusive", "errors", "systems": {"<s>": {"items", "file":
/// {"precision","recall","f1","accuracy","tp","fp","fn","tn"}, "param": {...}}}, "macro": {"file",
/// "param"}, "categories", "subcategories", "answers", "usage", "latency_ms"}.
nlohmann::json scores_to_json(const Scores& s);

/// The whole results.json of a run: scores_to_json of the setup's predictions, plus "setup"
/// (as the predictor described it) and "members" (each ensemble member scored alone).
nlohmann::json build_results(const std::vector<Prediction>& predictions, const nlohmann::json& setup);

/// Reads a results.json; fails when it is unreadable or lacks "systems" and "macro".
Expected<nlohmann::json> read_results(const std::filesystem::path& path);

/// A plain-text table of what differs between two results.json: macro and per-system
/// precision/recall/F1/accuracy at both levels (A, B, B-A), then rates and cost. Systems present
/// in one only are listed as such.
std::string compare_results(const nlohmann::json& a, const nlohmann::json& b, const std::string& name_a,
                            const std::string& name_b);

}  // namespace ciri
