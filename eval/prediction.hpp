// What a setup predicted for one dataset item: the unit the journal stores and metrics score.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregator/vote.hpp"
#include "base/error.hpp"
#include "eval/dataset.hpp"

namespace ciri {

/// Parses to_string(VerdictStatus) ("valid", "misconfigured", "inconclusive"); fails on anything else.
Expected<VerdictStatus> parse_verdict(std::string_view text);

/// What one member of an ensemble (one model) concluded on its own, before the vote across models.
struct MemberPrediction {
    std::string name;  ///< the model spec as given
    VerdictStatus verdict = VerdictStatus::valid;
    std::vector<std::string> reported;
};

/// One scored item. It repeats the item's labels so journals can be scored (and merged)
/// without the dataset.
struct Prediction {
    // From the dataset.
    std::string id;
    std::string system;
    Label label = Label::valid;
    std::vector<std::string> truth;  ///< misconfigured parameters
    std::string category;
    std::string subcategory;
    int file_params = 0;  ///< parameters in the file (for the parameter-level TN); 0 = unknown

    // What was predicted.
    VerdictStatus verdict = VerdictStatus::valid;
    std::vector<std::string> reported;  ///< after the hallucination filter and the vote
    std::vector<MemberPrediction> members;

    // How it went.
    int answers = 0;          ///< answers received (valid or not)
    int invalid_answers = 0;  ///< answers that failed extraction or the checks
    int reported_raw = 0;     ///< parameters named by valid answers, before the filter
    int hallucinated = 0;     ///< of those, the ones that are not parameters of the file
    long requests = 0;
    long prompt_tokens = 0;
    long completion_tokens = 0;
    long cached_tokens = 0;
    std::optional<double> cost_usd;  ///< nullopt when a price was unknown
    double latency_ms = 0;
    std::string error;  ///< why no verdict could be reached ("" = none); the verdict is then inconclusive

    /// True when the file was flagged (verdict misconfigured).
    bool flagged() const { return verdict == VerdictStatus::misconfigured; }
};

/// The JSON object of one journal line.
nlohmann::json to_json(const Prediction& p);

/// Reads a journal line's object; fails naming the first field that is missing or mistyped.
Expected<Prediction> prediction_from_json(const nlohmann::json& j);

/// A Prediction for `item` with its labels copied and nothing predicted yet.
Prediction prediction_for(const DatasetItem& item);

/// `p` as if `member` (one of p.members) had been the whole setup: the labels, and the member's
/// verdict and parameters; usage (not split per member) is zero. Nullopt when p has no such member.
std::optional<Prediction> member_view(const Prediction& p, std::string_view member);

}  // namespace ciri
