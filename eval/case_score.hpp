// Scores the rules alone on our labeled case sets (datasets/<system>/cases/): the figures the
// GPU-cluster issue sets targets for, per system.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "eval/dataset.hpp"

namespace ciri {

/// What the rules did on one system's cases.
struct CaseTally {
    int cases = 0;           ///< misconfigured files
    int right_param = 0;     ///< ... where a finding named one of the labeled parameters
    int twins = 0;           ///< fixed twins (valid files)
    int twins_flagged = 0;   ///< ... with any finding
    int files = 0;           ///< all files
    int detected = 0;        ///< ... whose system is detected from the file alone (name, content)
    int load_errors = 0;     ///< files that did not load with their labeled system
    std::vector<std::string> missed;   ///< ids of cases without the right parameter
    std::vector<std::string> flagged;  ///< ids of twins flagged, with the parameters
    std::vector<std::string> undetected;  ///< ids of files detected as another system (and as what)

    void add(const CaseTally& other);
};

/// Runs the rules voter (shipped spec tables, the item's facts as --context) on every item,
/// and detection without --system on every file. Deterministic; never throws for a bad file
/// (it counts as a load error and a miss).
std::map<std::string, CaseTally> score_cases(const Dataset& dataset);

/// A fixed-width table of the tallies, one row per system and a total, in percent.
std::string format_case_scores(const std::map<std::string, CaseTally>& scores);

}  // namespace ciri
