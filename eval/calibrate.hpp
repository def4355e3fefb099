// Calibration data from a labeled dataset: what each voter said of every parameter, and the
// scores of a vote on it (overall, and leaving one system out).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "aggregator/calibrate.hpp"
#include "eval/dataset.hpp"
#include "eval/predictor.hpp"

namespace ciri {

/// One VotedParam per parameter of each item's file (truth from the item's labels; opinions of
/// every voter that did not abstain, under voter_key()), plus one without opinions for each true
/// parameter the file lacks. Items run in parallel; an item whose file does not parse adds only
/// its true parameters.
std::vector<VotedParam> voted_params(const std::vector<DatasetItem>& items, const RecordedPredictor& predictor);

/// `params` as JSON lines, one per parameter: {"item", "system", "key", "misconfigured" (true,
/// false or null when unlabeled), "opinions": {voter: {"stance", "share", "category", "value", "reason"}}}.
std::string voted_params_jsonl(const std::vector<VotedParam>& params);

/// Macro (over groups) parameter precision, recall and F1 of a rule deciding which parameters
/// are reported.
struct ParamScores {
    double precision = 0, recall = 0, f1 = 0;
    std::map<std::string, double> f1_by_group;
};
ParamScores score_params(const std::vector<VotedParam>& params, const std::function<bool(const VotedParam&)>& reported);

/// `params` with only the opinions of `voters` (by voter_key()).
std::vector<VotedParam> only_voters(const std::vector<VotedParam>& params, const std::vector<std::string>& voters);

/// `params` as if each LLM were one uncalibrated LLM beside the rules: one copy of every
/// parameter per LLM voter, holding that LLM's opinion under the name `pooled` and the rules'
/// opinion. Calibrating on it measures "rules + a typical LLM" (the shipped default_llm).
std::vector<VotedParam> pool_llms(const std::vector<VotedParam>& params, const std::string& pooled = "llm");

/// Leave one group out: for each group, weights calibrated (supervised) on the other groups
/// only, then the log-odds vote scored on that group. Returns the scores over all groups.
ParamScores leave_one_group_out(const std::vector<VotedParam>& params, const CalibrateOptions& options = {});

}  // namespace ciri
