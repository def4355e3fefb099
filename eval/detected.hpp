// Cases detected: misconfigured items where a reported parameter is one of the labeled ones,
// the figure the paper gives for its real-world set.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/prediction.hpp"

namespace ciri {

/// Detected cases of one system, or of all.
struct DetectedTally {
    long cases = 0;     ///< items labeled misconfigured
    long detected = 0;  ///< ... where a reported parameter is one of the labeled ones
    std::vector<std::string> missed;  ///< ids of the others, in prediction order
};

/// Detected cases per system and in total.
struct DetectedCases {
    std::map<std::string, DetectedTally> systems;
    DetectedTally total;
};

/// Counts, over the items labeled misconfigured, those whose reported parameters include one of
/// their labeled parameters (exact names, as the parameter-level metrics compare them).
DetectedCases count_detected(const std::vector<Prediction>& predictions);

/// results.json "detected": {"systems": {"<s>": {"cases", "detected", "missed": [ids]}},
/// "total": {"cases", "detected"}}.
nlohmann::json detected_to_json(const DetectedCases& d);

/// report.md's section "Cases detected" from a results.json; "" when it has no "detected".
std::string detected_markdown(const nlohmann::json& results);

/// One terminal line, "detected: 5 of 8 cases (hbase 2/3, hdfs 3/5)\n", from a results.json;
/// "" when it has no "detected" or no case.
std::string detected_summary(const nlohmann::json& results);

}  // namespace ciri
