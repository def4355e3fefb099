// `ciri eval import-ciri`: the artifact's recorded results tree as answers.jsonl.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// What an import did.
struct ImportStats {
    long records = 0;                 ///< lines written
    std::vector<std::string> models;  ///< sorted
    std::vector<Error> skipped;       ///< result files that could not be read (path and reason)
};

/// The artifact root (holding datasets/synthesize_config and results/synthesize_config) for
/// `dir` being that root, its results/ or results/synthesize_config; fails otherwise.
Expected<std::filesystem::path> artifact_root_of(const std::filesystem::path& dir);

/// Reads every recorded result file under `results_dir` (see artifact_root_of) with the
/// dataset file it answers, and writes one RecordedRecord per file to `out` (atomically, sorted
/// by model, mode, system, kind, number). A result file that cannot be read, or whose dataset
/// file is missing, is skipped and listed. Fails when nothing could be imported or `out`
/// cannot be written.
Expected<ImportStats> import_ciri_results(const std::filesystem::path& results_dir,
                                          const std::filesystem::path& out);

}  // namespace ciri
