// The paper's real-world set: one misconfigured file per historical issue, labeled by a table.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "eval/dataset.hpp"

namespace ciri {

/// One case file of the real-world set: datasets/real_world_config/<system>/<id>.
struct RealWorldCase {
    std::string id;      ///< the issue id, e.g. "HDFS-1234": the file's name
    std::string system;  ///< the folder's name
    std::filesystem::path path;
};

/// The real_world_config folder for `dir`: `dir/datasets/real_world_config`, or `dir` itself
/// when it holds historical_issue.tsv. Fails when neither does.
Expected<std::filesystem::path> real_world_dir(const std::filesystem::path& dir);

/// Every case file under `set_dir` (a real_world_config folder), sorted by system then id
/// (natural order). Hidden files are not cases. Fails when one id sits under two systems.
Expected<std::vector<RealWorldCase>> real_world_cases(const std::filesystem::path& set_dir);

/// The real-world set as dataset items: each case file is a misconfigured item with id
/// "<system>/<CASE-ID>" labeled by its row of historical_issue.tsv (case id, then the
/// misconfigured parameters, tab-separated; blank and '#' lines skipped, and a first line whose
/// id holds no digit is a header). `kind` stays empty, so recorded answers are found by the
/// file's content. Fails naming the file and line on a row without a parameter, a row for no
/// case file, a case listed twice; naming the file on a case file without a row; and naming the
/// folder when it is a system ciri does not know (its files have no extension: their format
/// comes from the system). Systems `options.systems` leaves out are not checked.
Expected<std::vector<DatasetItem>> read_real_world(const std::filesystem::path& dir, const DatasetOptions& options);

}  // namespace ciri
