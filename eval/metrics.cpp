#include "eval/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

namespace ciri {

namespace {

double ratio(double num, double den) { return den == 0 ? 0.0 : num / den; }

void add(LevelScores& level, const Counts& c) { level.counts += c; }

void finish(LevelScores& level) { level.rates = rates(level.counts); }

}  // namespace

Rates rates(const Counts& c) {
    Rates r;
    r.precision = ratio(c.tp, c.tp + c.fp);
    r.recall = ratio(c.tp, c.tp + c.fn);
    r.f1 = ratio(2 * r.precision * r.recall, r.precision + r.recall);
    r.accuracy = ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn);
    return r;
}

Counts file_counts(const Prediction& p) {
    Counts c;
    const bool bad = p.label == Label::misconfigured;
    if (p.flagged()) (bad ? c.tp : c.fp) = 1;
    // An inconclusive valid file was not judged valid: it is no true negative (see Scores).
    else if (bad || p.verdict != VerdictStatus::inconclusive) (bad ? c.fn : c.tn) = 1;
    return c;
}

Counts param_counts(const Prediction& p) {
    const std::set<std::string> truth(p.truth.begin(), p.truth.end());
    const std::set<std::string> reported(p.reported.begin(), p.reported.end());
    Counts c;
    for (const auto& r : reported) (truth.count(r) ? c.tp : c.fp) += 1;
    for (const auto& t : truth) c.fn += reported.count(t) ? 0 : 1;
    const long touched = c.tp + c.fp + c.fn;  // |truth ∪ reported|
    if (p.verdict != VerdictStatus::inconclusive)
        c.tn = std::max(0L, static_cast<long>(p.file_params) - touched);
    return c;
}

double percentile(std::vector<double> values, double q) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(q / 100.0 * static_cast<double>(values.size()));
    const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
    return values[std::min(index, values.size() - 1)];
}

Scores score(const std::vector<Prediction>& predictions) {
    Scores s;
    std::unordered_set<std::string> seen;
    std::vector<double> latencies;
    for (const auto& p : predictions) {
        if (!seen.insert(p.id).second) continue;
        ++s.items;
        if (p.verdict == VerdictStatus::inconclusive) ++s.inconclusive;
        if (!p.error.empty()) ++s.errors;
        const Counts fc = file_counts(p), pc = param_counts(p);
        auto& sys = s.systems[p.system];
        ++sys.items;
        add(sys.file, fc);
        add(sys.param, pc);
        if (p.label == Label::misconfigured) {
            const std::string cat = p.category.empty() ? "(none)" : p.category;
            for (auto* cs : {&s.categories[cat], &s.subcategories[cat + " / " + p.subcategory]}) {
                ++cs->items;
                add(cs->file, fc);
                add(cs->param, pc);
            }
        }
        s.answers += p.answers;
        s.invalid_answers += p.invalid_answers;
        s.reported_raw += p.reported_raw;
        s.hallucinated += p.hallucinated;
        s.requests += p.requests;
        s.prompt_tokens += p.prompt_tokens;
        s.completion_tokens += p.completion_tokens;
        s.cached_tokens += p.cached_tokens;
        if (p.cost_usd) s.cost_usd += *p.cost_usd, sys.cost_usd += *p.cost_usd;
        else if (p.requests > 0) s.cost_complete = false;
        if (p.requests > 0 || p.latency_ms > 0) latencies.push_back(p.latency_ms);
    }
    for (auto& [name, sys] : s.systems) {
        finish(sys.file);
        finish(sys.param);
        const double n = static_cast<double>(s.systems.size());
        for (auto [macro, level] : {std::pair{&s.macro_file, &sys.file}, {&s.macro_param, &sys.param}}) {
            macro->precision += level->rates.precision / n;
            macro->recall += level->rates.recall / n;
            macro->f1 += level->rates.f1 / n;
            macro->accuracy += level->rates.accuracy / n;
        }
    }
    for (auto* table : {&s.categories, &s.subcategories})
        for (auto& [name, cs] : *table) {
            finish(cs.file);
            finish(cs.param);
        }
    s.invalid_rate = ratio(s.invalid_answers, s.answers);
    s.hallucination_rate = ratio(s.hallucinated, s.reported_raw);
    s.latency_p50_ms = percentile(latencies, 50);
    s.latency_p95_ms = percentile(latencies, 95);
    return s;
}

std::vector<std::string> member_names(const std::vector<Prediction>& predictions) {
    std::vector<std::string> names;
    for (const auto& p : predictions)
        for (const auto& m : p.members)
            if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
    return names;
}

Scores score_member(const std::vector<Prediction>& predictions, const std::string& name) {
    std::vector<Prediction> view;
    view.reserve(predictions.size());
    for (const auto& p : predictions)
        if (auto v = member_view(p, name)) view.push_back(std::move(*v));
    return score(view);
}

}  // namespace ciri
