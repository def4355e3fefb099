#include "aggregator/vote.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "aggregator/reason.hpp"

namespace ciri {
namespace {

// Tolerance for comparing sums of weighted shares against a threshold.
constexpr double kEps = 1e-9;

using Key = std::vector<std::string>;

Key key_of(const std::vector<std::string>& params, bool ordered) {
    if (ordered) return params;
    std::set<std::string> s(params.begin(), params.end());
    return Key(s.begin(), s.end());
}

std::vector<std::string> unique_in_order(const std::vector<std::string>& params) {
    std::vector<std::string> out;
    std::unordered_set<std::string_view> seen;
    for (const auto& p : params)
        if (seen.insert(p).second) out.push_back(p);
    return out;
}

// Leader and runner-up counts of the parameter sets.
std::pair<int, int> top_two(const std::map<Key, int>& counts) {
    int a = 0, b = 0;
    for (const auto& [k, c] : counts) {
        if (c > a) {
            b = a;
            a = c;
        } else if (c > b) {
            b = c;
        }
    }
    return {a, b};
}

}  // namespace

const char* to_string(VerdictStatus status) {
    switch (status) {
        case VerdictStatus::valid:
            return "valid";
        case VerdictStatus::misconfigured:
            return "misconfigured";
        case VerdictStatus::inconclusive:
            return "inconclusive";
    }
    return "inconclusive";
}

std::optional<std::vector<std::string>> ciri_vote(const std::vector<Answer>& answers,
                                                  bool ordered) {
    std::map<Key, int> counts;
    for (const auto& a : answers) ++counts[key_of(a.params, ordered)];
    auto [lead, second] = top_two(counts);
    if (lead == 0 || lead == second) return std::nullopt;
    for (const auto& a : answers)
        if (counts[key_of(a.params, ordered)] == lead)
            return ordered ? a.params : unique_in_order(a.params);
    return std::nullopt;
}

namespace {

// The vote over raw samples: `ciri` always; `param` for callers of the samples API.
Verdict vote_samples(const std::vector<BackendSamples>& backends, const VoteOptions& options) {
    Verdict v;
    double total = 0;
    for (const auto& b : backends) {
        ++v.counts.backends;
        v.counts.valid += static_cast<int>(b.answers.size());
        v.counts.invalid += b.invalid;
        for (const auto& a : b.answers) v.counts.dropped += static_cast<int>(a.dropped.size());
        if (!b.answers.empty()) {
            ++v.counts.backends_answered;
            total += b.weight;
        }
    }
    int needed = std::max(1, options.min_valid);
    if (v.counts.valid < needed) {
        v.why = "no quorum: " + std::to_string(v.counts.valid) + " valid answers, " +
                std::to_string(needed) + " needed";
        return v;
    }

    // Weighted share of samples reporting each parameter; first-reported order kept for output.
    std::map<std::string, double> share;
    std::vector<std::string> order;
    for (const auto& b : backends) {
        if (b.answers.empty()) continue;
        double per_sample = b.weight / static_cast<double>(b.answers.size());
        for (const auto& a : b.answers)
            for (const auto& p : unique_in_order(a.answer.params)) {
                if (!share.contains(p)) order.push_back(p);
                share[p] += per_sample;
            }
    }

    std::vector<std::string> reported;
    // Which answers "agree" with a reported parameter, for the reason and voters.
    std::optional<Key> winning_key;
    if (options.method == VoteMethod::param) {
        double threshold = options.threshold.value_or(total / 2.0);
        for (const auto& p : order)
            if (share[p] > threshold + kEps) reported.push_back(p);
    } else {
        std::map<Key, double> weight_of;
        std::map<Key, std::vector<std::string>> list_of;
        for (const auto& b : backends) {
            if (b.answers.empty()) continue;
            std::vector<Answer> answers;
            for (const auto& a : b.answers) answers.push_back(a.answer);
            auto won = ciri_vote(answers, options.ordered);
            if (!won) continue;
            Key k = key_of(*won, options.ordered);
            weight_of[k] += b.weight;
            list_of.emplace(k, *won);
        }
        const Key* best = nullptr;
        for (const auto& [k, w] : weight_of)
            if (!best || w > weight_of[*best]) best = &k;
        if (!best || weight_of[*best] <= total / 2.0 + kEps) {
            v.why = "no consistent result";
            return v;
        }
        winning_key = *best;
        reported = list_of[*best];
    }

    // Per answer, once: where each parameter first appears, and whether the answer agrees with
    // the winning set; so the findings below cost the answers' size, not its square.
    struct AnswerIndex {
        std::unordered_map<std::string_view, size_t> first;
        bool agrees = true;
    };
    std::vector<std::vector<AnswerIndex>> indexes;
    for (const auto& b : backends) {
        auto& per_backend = indexes.emplace_back();
        for (const auto& g : b.answers) {
            auto& ix = per_backend.emplace_back();
            for (size_t i = 0; i < g.answer.params.size(); ++i) ix.first.try_emplace(g.answer.params[i], i);
            ix.agrees = !winning_key || key_of(g.answer.params, options.ordered) == *winning_key;
        }
    }
    for (const auto& p : reported) {
        Finding f;
        f.parameter = p;
        f.votes = share.contains(p) ? share[p] : 0.0;
        f.total = total;
        std::vector<ReasonSample> reasons;
        bool located = false;
        for (size_t bi = 0; bi < backends.size(); ++bi) {
            const auto& b = backends[bi];
            bool voted = false;
            for (size_t gi = 0; gi < b.answers.size(); ++gi) {
                const auto& g = b.answers[gi];
                const AnswerIndex& ix = indexes[bi][gi];
                auto it = ix.first.find(p);
                if (it == ix.first.end()) continue;
                voted = true;
                size_t i = it->second;
                if (!located && i < g.matched.size()) {
                    f.line = g.matched[i].line;
                    f.value = g.matched[i].value;
                    located = true;
                }
                if (!ix.agrees) continue;
                reasons.push_back({b.name, i < g.answer.reasons.size() ? g.answer.reasons[i] : ""});
            }
            if (voted) f.voters.push_back(b.name);
        }
        f.reason = pick_reason(reasons, options.reason_threshold).reason;
        v.findings.push_back(std::move(f));
    }
    bool grounded = std::all_of(v.findings.begin(), v.findings.end(),
                                [](const Finding& f) { return f.line > 0; });
    if (grounded)
        std::stable_sort(v.findings.begin(), v.findings.end(),
                         [](const Finding& a, const Finding& b) { return a.line < b.line; });
    v.status = v.findings.empty() ? VerdictStatus::valid : VerdictStatus::misconfigured;
    return v;
}

// A voter's wrong parameters as one grounded answer, for the `ciri` vote of a voter without
// samples (the rules voter).
GroundedAnswer answer_of(const VoterOpinions& voter) {
    GroundedAnswer g;
    for (const auto& [key, o] : voter.params) {
        if (o.stance != Stance::wrong) continue;
        g.answer.params.push_back(key);
        g.answer.reasons.push_back(o.reason);
        g.matched.push_back({key, o.value, o.line, "", ""});
    }
    g.answer.has_error = !g.answer.params.empty();
    return g;
}

}  // namespace

const char* to_string(VoteMethod method) {
    switch (method) {
        case VoteMethod::ciri:
            return "ciri";
        case VoteMethod::param:
            return "param";
        case VoteMethod::log_odds:
            return "log-odds";
    }
    return "param";
}

std::optional<VoteMethod> parse_vote_method(std::string_view text) {
    for (VoteMethod m : {VoteMethod::ciri, VoteMethod::param, VoteMethod::log_odds})
        if (text == to_string(m)) return m;
    return std::nullopt;
}

Verdict vote(const std::vector<BackendSamples>& backends, const VoteOptions& options) {
    if (options.method == VoteMethod::ciri) return vote_samples(backends, options);
    // Every answering backend read every parameter anyone named: ok where it did not name it.
    ConfigFile named;
    std::set<std::string> seen;
    for (const auto& b : backends)
        for (const auto& g : b.answers)
            for (size_t i = 0; i < g.answer.params.size(); ++i)
                if (seen.insert(g.answer.params[i]).second) {
                    Parameter p;
                    p.key = g.answer.params[i];
                    if (i < g.matched.size()) p.line = g.matched[i].line, p.value = g.matched[i].value;
                    named.params.push_back(std::move(p));
                }
    std::vector<VoterOpinions> voters;
    for (const auto& b : backends) voters.push_back(llm_opinions(b.name, b.weight, b.answers, b.invalid, &named));
    return vote(voters, options);
}

Verdict vote(const std::vector<VoterOpinions>& voters, const VoteOptions& options) {
    if (options.method == VoteMethod::ciri) {
        std::vector<BackendSamples> backends;
        for (const auto& v : voters) {
            BackendSamples b{v.name, v.weight, v.answers, v.invalid};
            if (b.answers.empty() && v.answered) b.answers.push_back(answer_of(v));
            backends.push_back(std::move(b));
        }
        return vote_samples(backends, options);
    }
    Verdict v;
    for (const auto& voter : voters) {
        ++v.counts.backends;
        v.counts.valid += voter.valid;
        v.counts.invalid += voter.invalid;
        for (const auto& a : voter.answers) v.counts.dropped += static_cast<int>(a.dropped.size());
        if (voter.answered) ++v.counts.backends_answered;
    }
    int needed = std::max(1, options.min_valid);
    if (v.counts.valid < needed) {
        v.why = "no quorum: " + std::to_string(v.counts.valid) + " valid answers, " + std::to_string(needed) +
                " needed";
        return v;
    }
    // Every parameter some voter has an opinion on: first as the samples named them (the order
    // of an ungrounded report), then the rest.
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (const auto& voter : voters)
        for (const auto& g : voter.answers)
            for (const auto& key : g.answer.params)
                if (voter.on(key).stance != Stance::abstain && seen.insert(key).second) keys.push_back(key);
    for (const auto& voter : voters)
        if (voter.answered)
            for (const auto& [key, o] : voter.params)
                if (o.stance != Stance::abstain && seen.insert(key).second) keys.push_back(key);

    // A lone voter (one LLM without the rules, or the rules alone) decides by its own majority
    // under log-odds too: a threshold fitted for a larger vote could leave it never reporting
    // anything, and for one voter any threshold above its own "wrong" scores F1 0.
    const bool lone = options.method == VoteMethod::log_odds && !options.threshold && v.counts.backends_answered == 1;
    for (const auto& key : keys) {
        double votes = 0, total = 0, case_for = logit(options.weights.prior);
        for (const auto& voter : voters) {
            if (!voter.answered) continue;
            const Opinion& o = voter.on(key);
            if (o.stance == Stance::abstain) continue;
            total += voter.weight;
            votes += voter.weight * (o.stance == Stance::wrong ? o.share : 0.0);
            if (options.method == VoteMethod::log_odds)
                case_for += voter.weight * log_likelihood_ratio(o, reliability_for(options.weights, voter.name));
        }
        bool reported = options.method == VoteMethod::log_odds && !lone
                            ? case_for > options.threshold.value_or(options.weights.threshold) + kEps
                            : votes > options.threshold.value_or(total / 2.0) + kEps;
        if (!reported || votes <= 0) continue;
        Finding f;
        f.parameter = key;
        f.votes = votes;
        f.total = total;
        std::vector<ReasonSample> reasons;
        for (const auto& voter : voters) {
            if (!voter.answered) continue;
            const Opinion& o = voter.on(key);
            if (o.stance != Stance::wrong) continue;
            f.voters.push_back(voter.name);
            if (f.line == 0 && o.line > 0) f.line = o.line, f.value = o.value;
            if (f.category.empty()) f.category = o.category;
            if (voter.answers.empty()) {
                reasons.push_back({voter.name, o.reason});
                continue;
            }
            for (const auto& g : voter.answers) {
                auto it = std::find(g.answer.params.begin(), g.answer.params.end(), key);
                if (it == g.answer.params.end()) continue;
                size_t i = static_cast<size_t>(it - g.answer.params.begin());
                reasons.push_back({voter.name, i < g.answer.reasons.size() ? g.answer.reasons[i] : ""});
            }
        }
        f.reason = pick_reason(reasons, options.reason_threshold).reason;
        v.findings.push_back(std::move(f));
    }
    bool grounded = std::all_of(v.findings.begin(), v.findings.end(), [](const Finding& f) { return f.line > 0; });
    if (grounded)
        std::stable_sort(v.findings.begin(), v.findings.end(),
                         [](const Finding& a, const Finding& b) { return a.line < b.line; });
    v.status = v.findings.empty() ? VerdictStatus::valid : VerdictStatus::misconfigured;
    return v;
}

bool can_stop_early(const std::vector<GroundedAnswer>& so_far, int remaining,
                    const VoteOptions& options) {
    if (remaining <= 0) return true;
    if (so_far.empty()) return false;
    if (options.method == VoteMethod::ciri) {
        std::map<Key, int> counts;
        for (const auto& g : so_far) ++counts[key_of(g.answer.params, options.ordered)];
        auto [lead, second] = top_two(counts);
        return lead > second + remaining;
    }
    // Final share of a parameter seen k times in n valid answers lies in
    // [k/(n+r), (k+r)/(n+r)] whatever the r remaining samples say; the majority is settled
    // when that interval is on one side of 1/2.
    long n = static_cast<long>(so_far.size()), r = remaining;
    std::map<std::string, long> seen;
    for (const auto& g : so_far)
        for (const auto& p : unique_in_order(g.answer.params)) ++seen[p];
    if (r > n) return false;  // a parameter not seen yet could still reach a majority
    for (const auto& [p, k] : seen) {
        bool surely_in = 2 * k > n + r;
        bool surely_out = 2 * (k + r) <= n + r;
        if (!surely_in && !surely_out) return false;
    }
    return true;
}

}  // namespace ciri
