// The weights file (`ciri calibrate --out`, `--weights`, `.ciri.yaml` weights:): a prior, a
// threshold and each voter's measured reliability, as YAML.
#pragma once

#include <filesystem>
#include <string>

#include "aggregator/weights.hpp"
#include "base/error.hpp"

namespace ciri {

/// The YAML text of `weights`; read_weights_text gives the same weights back (to 1e-9).
std::string weights_yaml(const Weights& weights);

/// Parses a weights file's text. Unknown keys, ill-typed values and rates outside (0, 1) are
/// errors with their line.
Expected<Weights> read_weights_text(const std::string& text, const std::string& path_label);

/// Reads and parses `path`.
Expected<Weights> read_weights(const std::filesystem::path& path);

/// The shipped default weights (datasets/weights/default.yaml): the rules voter measured on
/// the paper's artifact, the prior and threshold; an LLM without figures gets neutral_llm().
/// Fails when the file is missing or broken.
Expected<Weights> default_weights();

}  // namespace ciri
