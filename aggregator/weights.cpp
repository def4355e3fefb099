#include "aggregator/weights.hpp"

#include <algorithm>
#include <cmath>

namespace ciri {

namespace {

// Keeps rates away from 0 and 1, where a log-ratio would be infinite.
double clamp_rate(double p) { return std::clamp(p, 1e-6, 1 - 1e-6); }

}  // namespace

double logit(double p) {
    p = clamp_rate(p);
    return std::log(p / (1 - p));
}

std::string voter_key(std::string_view name) {
    if (size_t slash = name.find('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
    if (size_t at = name.find('@'); at != std::string_view::npos) name = name.substr(0, at);
    // Recorded specs carry :mode and :final after the model; model names themselves may hold a
    // colon (ollama tags), so only the recorded suffixes are cut.
    for (std::string_view suffix : {":final", ":default", ":zero_shot"})
        while (name.ends_with(suffix)) name.remove_suffix(suffix.size());
    return std::string(name);
}

Reliability neutral_llm(const Weights& weights) {
    // ln(sens/fa) = gap + 1 and ln((1-sens)/(1-fa)) = -(gap + 1), solved for sens and fa.
    double m = std::exp(std::max(0.0, weights.threshold - logit(weights.prior)) + 1.0);
    Reliability r;
    r.false_alarm = (m - 1) / (m * m - 1);
    r.sensitivity = m * r.false_alarm;
    return r;
}

Reliability reliability_for(const Weights& weights, std::string_view name) {
    std::string key = voter_key(name);
    if (auto it = weights.voters.find(key); it != weights.voters.end()) return it->second;
    if (key == "rules" || key == "auto") return {};  // unmeasured rules: neither for nor against
    if (weights.default_llm) return *weights.default_llm;
    return neutral_llm(weights);
}

double log_likelihood_ratio(const Opinion& opinion, const Reliability& r) {
    if (opinion.stance == Stance::abstain) return 0;
    double sens = clamp_rate(r.sensitivity), fa = clamp_rate(r.false_alarm);
    double against = r.scale * std::log((1 - sens) / (1 - fa));
    if (opinion.stance == Stance::ok || opinion.share <= 0) return against;
    double wrong = std::log(sens / fa);
    if (auto it = r.categories.find(opinion.category); !opinion.category.empty() && it != r.categories.end())
        wrong = std::log(clamp_rate(it->second.first) / clamp_rate(it->second.second));
    double s = std::min(1.0, opinion.share);
    return s * r.scale * wrong + (1 - s) * against;
}

}  // namespace ciri
