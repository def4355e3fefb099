// How sure a macro F1 is: bootstrap intervals over the items, and a paired comparison of two
// runs on the same items.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eval/prediction.hpp"

namespace ciri {

/// A two-sided 95% interval.
struct Interval {
    double low = 0, high = 0;
};

/// Percentile bootstrap of the macro F1 at the parameter and file level: `rounds` resamples of
/// the items with replacement, within each system (so every system keeps its size), with a fixed
/// seed so a run's report is reproducible.
struct MacroIntervals {
    Interval param, file;
};
MacroIntervals bootstrap_macro_f1(const std::vector<Prediction>& predictions, int rounds = 1000,
                                  uint64_t seed = 1);

/// Paired bootstrap of B's macro parameter F1 minus A's over the items both runs predicted
/// (matched by id, resampled within each system): the observed difference, its 95% interval,
/// and whether the interval excludes 0 (a difference beyond noise).
struct PairedDifference {
    long items = 0;  ///< items in both runs
    double difference = 0;
    Interval interval;
    bool beyond_noise = false;
};
PairedDifference paired_bootstrap(const std::vector<Prediction>& a, const std::vector<Prediction>& b,
                                  int rounds = 1000, uint64_t seed = 1);

/// One line per prediction, with a header: id, system, label, verdict, truth, reported (names
/// joined by ';'), error; fields quoted as RFC 4180 asks.
std::string predictions_csv(const std::vector<Prediction>& predictions);

}  // namespace ciri
