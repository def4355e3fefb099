// Measuring how far each voter can be trusted, from parameters whose truth is known (counting)
// or unknown (Dawid-Skene EM over the voters' agreement), and choosing the vote's threshold.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/opinion.hpp"
#include "aggregator/weights.hpp"

namespace ciri {

/// One parameter of one file, with what each voter said of it.
struct VotedParam {
    std::string group;                  ///< the file's system: F1 is averaged over groups
    std::optional<bool> misconfigured;  ///< the truth; nullopt when unlabeled
    /// By voter_key(); voters that abstained are left out.
    std::vector<std::pair<std::string, Opinion>> opinions;
    std::string item;  ///< the labeled item it came from (for people; "" when unknown)
    std::string key;   ///< the parameter's name in the file
};

/// How calibration estimates.
struct CalibrateOptions {
    /// Added to each count (Jeffreys' 1/2), so a rate measured on few parameters stays off 0 and 1.
    double smoothing = 0.5;
    /// Wrong opinions of one category a voter needs before that category gets rates of its own.
    int min_category_support = 20;
    int em_iterations = 200;  ///< Dawid-Skene: at most this many rounds
    /// Supervised: the shares of the LLMs' evidence tried beside 1 (Reliability::scale).
    std::vector<double> llm_scales = {0.5, 0.25, 0.125};
};

/// Supervised: per voter, the share of its wrong over the misconfigured and over the fine
/// parameters it did not abstain on (and per category with enough support); the prior is the
/// share of misconfigured parameters; the threshold is best_threshold() on the same data, and
/// the LLMs' evidence is scaled (Reliability::scale) where that raises the macro F1 there.
/// `default_llm` pools every voter but "rules". Unlabeled parameters are ignored.
Weights calibrate_supervised(const std::vector<VotedParam>& params, const CalibrateOptions& options = {});

/// Unsupervised (Dawid-Skene): starts from each parameter's mean wrong share and alternates
/// estimating the rates from the expected truth and the truth from the rates until it settles.
/// The threshold is 0: a parameter is reported when it is more likely wrong than not.
Weights calibrate_unsupervised(const std::vector<VotedParam>& params, const CalibrateOptions& options = {});

/// The log-odds that `param` is misconfigured under `weights` (prior plus each opinion's ratio).
double case_for(const VotedParam& param, const Weights& weights);

/// True when the log-odds vote reports `param`: some voter said wrong and case_for > threshold.
bool reported(const VotedParam& param, const Weights& weights, double threshold);

/// The threshold that maximises the macro (over groups) parameter F1 of the labeled `params`,
/// halfway between the two cases where the choice changes; ties go to the higher threshold.
double best_threshold(const std::vector<VotedParam>& params, const Weights& weights);

/// Macro (over groups) parameter F1 of the log-odds vote on the labeled `params`.
double macro_f1(const std::vector<VotedParam>& params, const Weights& weights, double threshold);

}  // namespace ciri
