// Picks one reason per reported parameter out of the agreeing answers.
#pragma once

#include <string>
#include <vector>

namespace ciri {

/// One answer's reason for a parameter, and which backend gave it.
struct ReasonSample {
    std::string backend;
    std::string text;
};

/// The chosen reason with the support behind it.
struct ReasonPick {
    std::string reason;                 ///< "" when no sample had a reason
    int cluster_size = 0;               ///< samples in the cluster the reason was taken from
    int votes = 0;                      ///< samples given (the answers that agreed)
    std::vector<std::string> backends;  ///< distinct backends of the samples, first-seen order
};

/// Clusters the non-empty reasons by TF-IDF cosine similarity (lowercased word tokens, smoothed
/// idf = ln((1+n)/(1+df))+1 as scikit-learn does, so words every reason shares still count), with
/// single-link: two reasons are in one cluster when a chain of pairs with cosine >= `threshold`
/// joins them. Returns the reason of the largest cluster (ties: the cluster seen first) closest
/// to that cluster's centroid (ties: the earliest sample).
ReasonPick pick_reason(const std::vector<ReasonSample>& samples, double threshold = 0.5);

/// Cosine similarity of the TF-IDF vectors of `a` and `b` within the corpus `corpus` (which should
/// contain both); exposed so tests and tools can see why reasons were grouped.
double reason_similarity(const std::vector<std::string>& corpus, size_t a, size_t b);

}  // namespace ciri
