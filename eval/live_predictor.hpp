// Scoring the live pipeline: each dataset item is validated as `ciri validate` would.
#pragma once

#include <memory>

#include "ciri/pipeline.hpp"
#include "eval/predictor.hpp"

namespace ciri {

/// Runs validate_files on each item with the item's system and version, through one LlmClient
/// shared by all items, so the backends' in-flight limits hold across the whole evaluation.
/// Thread-safe: eval calls predict() from several threads.
class LivePredictor : public Predictor {
public:
    /// `options.models` are the LLM voters; the item's system and version override detection.
    LivePredictor(ValidateOptions options, LlmClientOptions client_options);

    Prediction predict(const DatasetItem& item) const override;
    nlohmann::json describe() const override;

private:
    ValidateOptions options_;
    std::unique_ptr<LlmClient> client_;
};

}  // namespace ciri
