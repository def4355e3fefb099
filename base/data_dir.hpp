// Where ciri's shipped data lives: prompt templates and datasets (spec tables, shot pools).
#pragma once

#include <filesystem>

#include "base/error.hpp"

namespace ciri {

/// Finds the folder that holds `prompts/templates/` and `datasets/`. Tries, in order:
/// `$CIRI_DATA_DIR` (an explicit choice: when set it must hold the data), `<exe>/../share/ciri`
/// (an installed or relocated tree), and the source tree the binary was built from, only for a
/// binary that still runs from its build tree. The Error names every place tried.
Expected<std::filesystem::path> find_data_dir();

/// find_data_dir(), looked up once per process; throws UserError (exit 2) with the places tried
/// and what to do when no data is found, so a moved binary never runs on without its rules.
const std::filesystem::path& data_dir();

/// True when `dir` holds ciri's data (both `prompts/templates/` and `datasets/`).
bool holds_ciri_data(const std::filesystem::path& dir);

}  // namespace ciri
