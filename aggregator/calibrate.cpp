#include "aggregator/calibrate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

namespace ciri {

namespace {

// Expected counts behind one voter's rates: parameters by truth, and wrong mass by truth,
// overall and per category.
struct Tally {
    double mis = 0, fine = 0, wrong_mis = 0, wrong_fine = 0;
    std::map<std::string, std::pair<double, double>> category;  // wrong mass: {mis, fine}
    std::map<std::string, long> support;                        // wrong opinions per category

    void add(const Opinion& o, double p_mis) {
        double w = o.stance == Stance::wrong ? o.share : 0.0;
        mis += p_mis, fine += 1 - p_mis;
        wrong_mis += w * p_mis, wrong_fine += w * (1 - p_mis);
        if (o.stance == Stance::wrong && !o.category.empty()) {
            auto& c = category[o.category];
            c.first += w * p_mis, c.second += w * (1 - p_mis);
            ++support[o.category];
        }
    }

    Reliability rates(const CalibrateOptions& options) const {
        const double a = options.smoothing;
        Reliability r;
        r.sensitivity = (wrong_mis + a) / (mis + 2 * a);
        r.false_alarm = (wrong_fine + a) / (fine + 2 * a);
        r.misconfigured = mis, r.fine = fine;
        for (const auto& [name, c] : category)
            if (support.at(name) >= options.min_category_support)
                r.categories[name] = {(c.first + a) / (mis + 2 * a), (c.second + a) / (fine + 2 * a)};
        return r;
    }
};

// Rates of every voter, and the pooled LLM, from per-parameter probabilities of being wrong.
Weights estimate(const std::vector<VotedParam>& params, const std::vector<double>& p_mis,
                 const CalibrateOptions& options) {
    std::map<std::string, Tally> tallies;
    Tally llms;
    double mis = 0;
    for (size_t i = 0; i < params.size(); ++i) {
        mis += p_mis[i];
        for (const auto& [voter, o] : params[i].opinions) {
            tallies[voter].add(o, p_mis[i]);
            if (voter != "rules") llms.add(o, p_mis[i]);
        }
    }
    Weights w;
    w.prior = (mis + options.smoothing) / (static_cast<double>(params.size()) + 2 * options.smoothing);
    for (const auto& [voter, t] : tallies) w.voters[voter] = t.rates(options);
    if (llms.mis + llms.fine > 0) {
        w.default_llm = llms.rates(options);
        w.default_llm->categories.clear();  // LLMs give no category
    }
    return w;
}

}  // namespace

double case_for(const VotedParam& param, const Weights& weights) {
    double l = logit(weights.prior);
    for (const auto& [voter, o] : param.opinions) l += log_likelihood_ratio(o, reliability_for(weights, voter));
    return l;
}

bool reported(const VotedParam& param, const Weights& weights, double threshold) {
    bool named = std::ranges::any_of(param.opinions, [](const auto& v) {
        return v.second.stance == Stance::wrong && v.second.share > 0;
    });
    return named && case_for(param, weights) > threshold + 1e-9;
}

double macro_f1(const std::vector<VotedParam>& params, const Weights& weights, double threshold) {
    std::map<std::string, std::array<long, 3>> counts;  // tp, fp, fn
    for (const auto& p : params) {
        if (!p.misconfigured) continue;
        auto& c = counts[p.group];
        bool r = reported(p, weights, threshold);
        if (r && *p.misconfigured) ++c[0];
        else if (r) ++c[1];
        else if (*p.misconfigured) ++c[2];
    }
    if (counts.empty()) return 0;
    double sum = 0;
    for (const auto& [g, c] : counts) sum += c[0] == 0 ? 0.0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
    return sum / static_cast<double>(counts.size());
}

double best_threshold(const std::vector<VotedParam>& params, const Weights& weights) {
    // Sweep the labeled, named parameters from the strongest case down; at each distinct case
    // the reported set grows by the parameters at that case.
    struct Case {
        double l;
        std::string group;
        bool mis;
    };
    std::vector<Case> cases;
    std::map<std::string, long> truth;
    for (const auto& p : params) {
        if (!p.misconfigured) continue;
        if (*p.misconfigured) ++truth[p.group];
        bool named = std::ranges::any_of(p.opinions, [](const auto& v) { return v.second.stance == Stance::wrong && v.second.share > 0; });
        if (named) cases.push_back({case_for(p, weights), p.group, *p.misconfigured});
    }
    if (cases.empty()) return weights.threshold;
    std::ranges::sort(cases, [](const Case& a, const Case& b) { return a.l > b.l; });
    std::map<std::string, std::pair<long, long>> tp_fp;
    for (const auto& [g, n] : truth) tp_fp[g];
    auto f1 = [&] {
        double sum = 0;
        for (const auto& [g, c] : tp_fp) {
            long fn = truth[g] - c.first;
            sum += c.first == 0 ? 0.0 : 2.0 * c.first / (2.0 * c.first + c.second + fn);
        }
        return tp_fp.empty() ? 0.0 : sum / static_cast<double>(tp_fp.size());
    };
    double best = f1(), best_threshold = cases.front().l + 1.0;  // nothing reported
    for (size_t i = 0; i < cases.size();) {
        size_t j = i;
        while (j < cases.size() && cases[j].l == cases[i].l) {
            auto& c = tp_fp[cases[j].group];
            (cases[j].mis ? c.first : c.second) += 1;
            ++j;
        }
        double score = f1();
        if (score > best + 1e-12) {
            best = score;
            best_threshold = j < cases.size() ? (cases[i].l + cases[j].l) / 2 : cases[i].l - 1.0;
        }
        i = j;
    }
    return best_threshold;
}

Weights calibrate_supervised(const std::vector<VotedParam>& params, const CalibrateOptions& options) {
    std::vector<VotedParam> labeled;
    for (const auto& p : params)
        if (p.misconfigured) labeled.push_back(p);
    std::vector<double> truth;
    for (const auto& p : labeled) truth.push_back(*p.misconfigured ? 1.0 : 0.0);
    Weights w = estimate(labeled, truth, options);
    w.threshold = best_threshold(labeled, w);
    // LLMs err together, so naive Bayes counts their shared evidence several times: the share
    // of each LLM's evidence that counts is fitted with the threshold (ties keep the plain vote).
    double best = macro_f1(labeled, w, w.threshold);
    Weights plain = w;
    for (double scale : options.llm_scales) {
        Weights t = plain;
        for (auto& [name, r] : t.voters)
            if (name != "rules") r.scale = scale;
        if (t.default_llm) t.default_llm->scale = scale;
        t.threshold = best_threshold(labeled, t);
        if (double f1 = macro_f1(labeled, t, t.threshold); f1 > best + 1e-9) best = f1, w = t;
    }
    return w;
}

Weights calibrate_unsupervised(const std::vector<VotedParam>& params, const CalibrateOptions& options) {
    // Start from the voters' mean wrong share on each parameter (majority-like).
    std::vector<double> q(params.size(), 0.0);
    for (size_t i = 0; i < params.size(); ++i) {
        double sum = 0;
        for (const auto& [voter, o] : params[i].opinions) sum += o.stance == Stance::wrong ? o.share : 0.0;
        if (!params[i].opinions.empty()) q[i] = sum / static_cast<double>(params[i].opinions.size());
    }
    Weights w;
    for (int round = 0; round < options.em_iterations; ++round) {
        w = estimate(params, q, options);
        double moved = 0;
        for (size_t i = 0; i < params.size(); ++i) {
            double next = 1.0 / (1.0 + std::exp(-case_for(params[i], w)));
            moved = std::max(moved, std::abs(next - q[i]));
            q[i] = next;
        }
        if (moved < 1e-6) break;
    }
    w.threshold = 0;
    return w;
}

}  // namespace ciri
