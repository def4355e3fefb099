// Shared by the eval tests: predictions built from what was true and what was reported.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "eval/prediction.hpp"

namespace ciri::test {

/// A prediction for file `id` of `system`: misconfigured when `truth` is non-empty, flagged
/// when `reported` is non-empty, with `file_params` parameters in the file.
inline Prediction make_prediction(std::string id, std::string system,
                                  std::vector<std::string> truth,
                                  std::vector<std::string> reported, int file_params = 8) {
    Prediction p;
    p.id = std::move(id);
    p.system = std::move(system);
    p.label = truth.empty() ? Label::valid : Label::misconfigured;
    p.truth = std::move(truth);
    p.reported = std::move(reported);
    p.verdict = p.reported.empty() ? VerdictStatus::valid : VerdictStatus::misconfigured;
    p.file_params = file_params;
    return p;
}

}  // namespace ciri::test
