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

/// The artifact root (holding datasets/<set> and results/<set> for synthesize_config or
/// real_world_config) for `dir` being that root, its results/ or results/<set>; fails otherwise.
Expected<std::filesystem::path> artifact_root_of(const std::filesystem::path& dir);

/// Reads every recorded result file under `results_dir` (see artifact_root_of) with the
/// dataset file it answers, and writes one RecordedRecord per file to `out` (atomically, sorted
/// by model, mode, system, kind, number, case). Both sets are read: synthesize_config's
/// results/synthesize_config/<system>/<model>/<mode>/<kind>/<N>, and real_world_config's
/// results/real_world_config/<model>/<CASE-ID> (mode "default", kind "real_world", the system
/// from the folder of datasets/real_world_config holding the case file). A result file that
/// cannot be read, or whose dataset file is missing, is skipped and listed. Fails when nothing
/// could be imported or `out` cannot be written.
Expected<ImportStats> import_ciri_results(const std::filesystem::path& results_dir,
                                          const std::filesystem::path& out);

}  // namespace ciri
