// Labeled datasets: our manifest layout and the Ciri artifact layout, read as they are.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// What a dataset file is labeled as.
enum class Label { valid, misconfigured };

/// "valid" or "misconfigured".
std::string_view to_string(Label label);

/// One labeled config file.
struct DatasetItem {
    std::string id;              ///< unique in the dataset; artifact: "<system>/<kind>/<N>"
    std::filesystem::path path;  ///< absolute or relative to the working directory
    std::string system;
    std::string version;         ///< "" when unknown
    Label label = Label::valid;
    std::vector<std::string> params;  ///< the misconfigured parameters (empty when valid)
    std::string category;             ///< e.g. "Syntax"; "" when valid
    std::string subcategory;          ///< e.g. "Data Type"; "" when valid
    /// Facts the file does not hold that its label assumes (manifest "context": {KEY: VALUE}),
    /// given to the rules as --context would.
    std::map<std::string, std::string> context;
    /// Artifact layout only: "correct"/"erroneous" and the file number, which is how the
    /// artifact's recorded results name the file. Empty/0 for our layout.
    std::string kind;
    int number = 0;
};

/// How a dataset directory is laid out.
enum class DatasetLayout {
    manifest,  ///< DIR/manifest.jsonl (ours), or DIR/<system>/cases/manifest.jsonl for each system
    artifact,  ///< DIR/datasets/synthesize_config/<system>/{correct,erroneous}/N + ground_truth/
    real_world,  ///< DIR/datasets/real_world_config/<system>/<CASE-ID> + historical_issue.tsv
};

/// Which of the artifact's sets `ciri eval --set` reads.
enum class DatasetSet {
    synthesize,  ///< synthesize_config (or our manifest layout): the default
    real_world,  ///< real_world_config (eval/real_world.hpp)
};

/// Orders strings with their digit runs compared as numbers ("hdfs/correct/2" before
/// "hdfs/correct/10"); otherwise bytewise.
bool natural_less(std::string_view a, std::string_view b);

/// A dataset: its items sorted by id with natural_less (the canonical order shards are cut from).
struct Dataset {
    std::filesystem::path root;
    DatasetLayout layout = DatasetLayout::manifest;
    std::vector<DatasetItem> items;

    /// The systems present, sorted, each once.
    std::vector<std::string> systems() const;
};

/// System -> version, as read from a versions table.
using VersionTable = std::map<std::string, std::string, std::less<>>;

/// Reads a tab-separated `system<TAB>version` table; '#' lines and blank lines are skipped.
/// Fails on a missing file or a line without a tab.
Expected<VersionTable> read_version_table(const std::filesystem::path& path);

/// datasets/versions.tsv of the source tree (the versions the paper's prompts name), or an
/// empty table when it cannot be read.
const VersionTable& default_version_table();

/// Which layout `dir` has: manifest.jsonl (or <system>/cases/manifest.jsonl under it) wins; then datasets/synthesize_config/ground_truth
/// under `dir`, or `dir` itself being synthesize_config. Fails when neither fits.
Expected<DatasetLayout> detect_layout(const std::filesystem::path& dir);

/// Options for read_dataset.
struct DatasetOptions {
    std::vector<std::string> systems;  ///< keep only these systems; empty = all
    const VersionTable* versions = nullptr;  ///< artifact versions; null = default_version_table()
    DatasetSet set = DatasetSet::synthesize;  ///< real_world: read only the real-world set
};

/// Reads the dataset in `dir` (either layout). Manifest paths are relative to `dir`. Artifact
/// ground-truth line N describes erroneous/N; its misconfigured parameter is column 3, and a
/// "Value Relationship" row adds column 5. Fails (naming the file and line) on a malformed
/// manifest line, a duplicate id, a label other than valid/misconfigured, a misconfigured item
/// without parameters, a ground-truth row without a file or a file without a row, or when a
/// --systems name matches nothing. With `set` real_world, reads the real-world set instead
/// (read_real_world).
Expected<Dataset> read_dataset(const std::filesystem::path& dir, const DatasetOptions& options = {});

}  // namespace ciri
