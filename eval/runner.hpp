// Running a predictor over a dataset: journal, resume, shards, progress, reports, merge.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "eval/dataset.hpp"
#include "eval/predictor.hpp"
#include "eval/shard.hpp"

namespace ciri {

/// How run_eval runs.
struct RunOptions {
    std::filesystem::path out_dir;  ///< gets predictions.jsonl, run.json, results.json, report.md, report.html
    bool resume = false;            ///< keep the journal's finished items and skip them
    std::optional<Shard> shard;     ///< run only this slice of the items
    int jobs = 4;                   ///< items predicted at once
    std::ostream* progress = nullptr;  ///< where the progress bar goes (a TTY); null = none
    nlohmann::json dataset_info;       ///< recorded in run.json ("dataset", "systems", "shard")
    /// How the labels were corrected (--errata), recorded in the setup and the reports; "" =
    /// as the dataset has them.
    std::string labels;
};

/// What a run did.
struct RunSummary {
    long items = 0;    ///< items in this run (after --shard)
    long resumed = 0;  ///< finished by an earlier run and skipped
    long predicted = 0;
    long errors = 0;   ///< predictions with an error
};

/// Predicts every item not yet in the journal, appending each to <out>/predictions.jsonl as it
/// finishes (durably: a kill loses no finished item), then writes the reports over the whole
/// journal. Without `resume`, an existing non-empty journal is an error (so runs never mix).
/// With `resume`, run.json must describe the same setup.
Expected<RunSummary> run_eval(const std::vector<DatasetItem>& items, const Predictor& predictor,
                              const RunOptions& options);

/// Writes results.json, report.md and report.html for `predictions` into `dir`.
Expected<void> write_reports(const std::filesystem::path& dir, const std::vector<Prediction>& predictions,
                             const nlohmann::json& setup);

/// Combines the journals of `dirs` (shards of one run) into `out`: one predictions.jsonl (each
/// id once, in natural id order) and the reports. Fails when a dir has no journal or run.json,
/// or when the dirs ran different setups.
Expected<long> merge_runs(const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out);

/// Draws "[=====>    ] done/total  rate/s  ETA m:ss" on one line of a terminal, redrawn in place
/// at most ten times a second (and always at the end).
class ProgressBar {
public:
    ProgressBar(std::ostream* out, long total);
    /// Counts `n` more items done.
    void advance(long n = 1);
    /// Draws the final state and ends the line.
    void finish();

private:
    void draw(bool force);
    std::ostream* out_;
    long total_;
    long done_ = 0;
    double started_;
    double last_draw_ = -1;
};

}  // namespace ciri
