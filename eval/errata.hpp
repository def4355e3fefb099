// Corrections to a dataset's labels where the real program contradicts them
// (datasets/errata/*.tsv, each row re-checked with the program by bench/errata.sh).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "eval/dataset.hpp"

namespace ciri {

/// One row: the item's file sets `parameter` to `value`, which the program `judge` refuses,
/// while the item's labels do not list the parameter.
struct Erratum {
    std::string item;
    std::string parameter;
    std::string value;
    std::string judge;
    std::string fact;  ///< why, in a few words ("below the minimum -1")
    int line = 0;      ///< in the errata file
};

/// Reads an errata table: tab-separated `item parameter value judge fact`, a header row
/// starting with "item", '#' and blank lines skipped. Fails naming the file and line on a row
/// with fewer than five fields or an empty one.
Expected<std::vector<Erratum>> read_errata(const std::filesystem::path& path);

/// Corrects `dataset`'s labels with `errata`: each row's parameter joins its item's mistaken
/// parameters, and an item labeled valid becomes misconfigured (category Range, Basic Numeric:
/// a value the program refuses). Fails, naming the errata file and line, when a row names an
/// item the dataset lacks, or when the item's file does not set the parameter to that value
/// (the table was made for another version of the dataset). When `filtered` (the dataset was
/// read with --systems), a row whose item is absent is skipped instead. Returns how many rows
/// changed a label.
Expected<size_t> apply_errata(Dataset& dataset, const std::vector<Erratum>& errata,
                              const std::filesystem::path& errata_path, bool filtered = false);

/// Reads `errata_path` and applies it to `dataset`; the line a run records about its labels:
/// "N labels corrected by PATH (...)", or "" when `errata_path` is empty (labels as they are).
Expected<std::string> correct_labels(Dataset& dataset, const std::filesystem::path& errata_path,
                                     bool filtered = false);

}  // namespace ciri
