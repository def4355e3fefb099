// The paper's Table IV metrics, per system and macro-averaged, plus categories, rates and costs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eval/prediction.hpp"

namespace ciri {

/// Confusion counts.
struct Counts {
    long tp = 0, fp = 0, fn = 0, tn = 0;

    Counts& operator+=(const Counts& o) {
        tp += o.tp, fp += o.fp, fn += o.fn, tn += o.tn;
        return *this;
    }
    friend bool operator==(const Counts&, const Counts&) = default;
};

/// Precision, recall, F1 and accuracy. A ratio whose denominator is 0 is 0 (a setup that
/// reports nothing has precision 0, as in the paper's parser).
struct Rates {
    double precision = 0, recall = 0, f1 = 0, accuracy = 0;
};

/// The rates of `c`.
Rates rates(const Counts& c);

/// File level: a misconfigured file flagged = TP, a valid file flagged = FP, a misconfigured
/// file not flagged = FN, a valid file not flagged = TN. Inconclusive counts as not flagged for a
/// misconfigured file (FN) and as nothing for a valid one (no TN: it was not judged valid).
Counts file_counts(const Prediction& p);

/// Parameter level: each true parameter reported = TP, each other reported parameter = FP,
/// each true parameter not reported = FN, and each of the file's other parameters (neither
/// true nor reported) = TN (0 when the file's parameter count is unknown, or the verdict
/// inconclusive). Names compare
/// exactly; repeats count once.
Counts param_counts(const Prediction& p);

/// Counts and rates at one level.
struct LevelScores {
    Counts counts;
    Rates rates;
};

/// One system's scores.
struct SystemScores {
    long items = 0;
    LevelScores file, param;
    double cost_usd = 0;
};

/// One category's (or subcategory's) scores over its misconfigured items. Valid files have no
/// category, so file-level FP/TN are always 0 here: `file.rates.recall` is the share detected.
struct CategoryScores {
    long items = 0;
    LevelScores file, param;
};

/// Nearest-rank percentile (0 < q <= 100) of `values`; 0 when empty.
double percentile(std::vector<double> values, double q);

/// Everything scored over a set of predictions.
struct Scores {
    long items = 0;
    long inconclusive = 0;  ///< items with verdict inconclusive (an error included)
    long errors = 0;        ///< items whose prediction failed
    std::map<std::string, SystemScores> systems;
    Rates macro_file;   ///< each rate averaged over systems (macro F1 = mean of per-system F1)
    Rates macro_param;
    std::map<std::string, CategoryScores> categories;     ///< by category
    std::map<std::string, CategoryScores> subcategories;  ///< by "category / subcategory"
    long answers = 0, invalid_answers = 0;
    double invalid_rate = 0;  ///< invalid_answers / answers
    long reported_raw = 0, hallucinated = 0;
    double hallucination_rate = 0;  ///< hallucinated / reported_raw
    long requests = 0, prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0;
    double cost_usd = 0;
    bool cost_complete = true;  ///< false when some item's price was unknown
    double latency_p50_ms = 0, latency_p95_ms = 0;
};

/// Scores `predictions` (one per item; later duplicates of an id are ignored).
Scores score(const std::vector<Prediction>& predictions);

/// The names of the ensemble members found in `predictions`, in first-seen order.
std::vector<std::string> member_names(const std::vector<Prediction>& predictions);

/// Scores member `name` alone (items where it is absent are left out).
Scores score_member(const std::vector<Prediction>& predictions, const std::string& name);

}  // namespace ciri
