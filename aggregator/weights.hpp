// How far each voter can be trusted, measured on labeled data, and the log-odds it adds to a
// parameter's case (the naive-Bayes vote).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aggregator/opinion.hpp"

namespace ciri {

/// One voter's measured reliability. Rates are over the parameters it did not abstain on.
struct Reliability {
    double sensitivity = 0.5;  ///< P(says wrong | the parameter is misconfigured)
    double false_alarm = 0.5;  ///< P(says wrong | the parameter is fine)
    /// Per category of its wrong opinions: {P(wrong with it | misconfigured), P(wrong with it |
    /// fine)}; used for a wrong opinion of that category instead of the voter's own rates.
    std::map<std::string, std::pair<double, double>> categories;
    double misconfigured = 0;  ///< (expected) misconfigured parameters it was measured on
    double fine = 0;           ///< (expected) fine parameters it was measured on
    /// The share of its log-likelihood ratio that counts: below 1 when it errs together with
    /// other voters (several LLMs flag the same plausible-looking value), so naive Bayes would
    /// count one piece of evidence several times. Fitted with the threshold; 1 = independent.
    double scale = 1.0;
};

/// The naive-Bayes vote's figures: a prior, a threshold and one reliability per voter.
struct Weights {
    double prior = 0.06;    ///< P(a parameter is misconfigured) before any opinion
    double threshold = 0;   ///< log-odds a parameter's case must exceed to be reported
    std::map<std::string, Reliability> voters;  ///< by voter_key()
    /// For an LLM that has not been calibrated: see neutral_llm().
    std::optional<Reliability> default_llm;
    std::string source;  ///< what the figures were measured on (for people)
};

/// The key a voter's figures are stored under: its model name without the provider, the
/// recorded mode/final suffixes or the base URL ("openai/gpt-4o@http://x" -> "gpt-4o",
/// "recorded/gpt-4:zero_shot@a.jsonl" -> "gpt-4"); "rules" for the rules voter.
std::string voter_key(std::string_view name);

/// The documented neutral default for an LLM without calibration: its word alone decides. Its
/// wrong opinion carries exactly one nat more than the gap between the prior and the threshold,
/// and its ok opinion as much the other way, so one uncalibrated LLM reports what it names and
/// nothing else; a calibrated voter with stronger evidence can overrule it.
Reliability neutral_llm(const Weights& weights);

/// The reliability used for voter `name`: its own, else "rules" for the rules voter (absent:
/// an abstaining-strength 0.5/0.5), else `default_llm`, else neutral_llm().
Reliability reliability_for(const Weights& weights, std::string_view name);

/// The log-likelihood ratio an opinion adds: a share s of wrong adds s*ln(sens/fa) +
/// (1-s)*ln((1-sens)/(1-fa)), with the category's rates for a wrong opinion of a known
/// category; abstain adds 0.
double log_likelihood_ratio(const Opinion& opinion, const Reliability& r);

/// ln(p / (1 - p)).
double logit(double p);

}  // namespace ciri
