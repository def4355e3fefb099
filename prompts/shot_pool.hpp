// Shot pools: example files with their correct answers, shown to the model before the
// file under test (few-shot prompting).
//
// Two layouts are read:
// - the Ciri artifact's, as is: <dir>/<system>/ValidConfig/<N> and
//   <dir>/<system>/Misconfig/<N>_<category>, each file holding the config, the paper's
//   question and the JSON answer in a ```json fence;
// - ours: <dir>/<system>/shots/*.shot, documented in datasets/README.md: `name: value`
//   header lines (kind, category, version, answer), a line `---`, then the config verbatim.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// One example configuration with its answer.
struct Shot {
    std::string system;    ///< registry name of the system it configures, e.g. "hdfs"
    bool valid = false;    ///< true for a valid file (answer hasError false)
    std::string category;  ///< misconfiguration category ("syntax", "range", ...); "" if valid
    std::string id;        ///< artifact: the number ("13"); ours: the file stem
    std::string text;    ///< the full shot as the paper's prompt shows it: config, question, answer
    std::string config;  ///< the configuration file alone
    std::string answer_json;  ///< the JSON answer as written in the pool
    std::string path;         ///< the file it was read from
    /// The config in the compact view (prompts/file_view.hpp), set when a pool is indexed;
    /// empty when not yet made or the config does not parse.
    std::string compact_config;
};

/// The four misconfiguration categories of the paper, in the order it lists them.
const std::vector<std::string>& shot_categories();

/// The paper's question for a file of `title` (as the shots write it, e.g. "HDFS") at
/// `version`, from "Question:" to the closing brace of its JSON example, no final newline.
/// An empty version leaves out " version X".
std::string paper_question(std::string_view title, std::string_view version);

/// The answer written as the paper's shots write it: four-space indent, lists on one line.
std::string paper_answer(bool has_error, const std::vector<std::string>& err_params,
                         const std::vector<std::string>& reasons);

/// Splits the text of an artifact shot file into a Shot. `name` is the file name
/// (`13_range` or `6`); fails when the text lacks the question, the answer fence or a
/// well-formed answer, or when the answer disagrees with the kind of shot.
Expected<Shot> parse_artifact_shot(std::string_view text, std::string_view system, bool valid,
                                   std::string_view name);

/// Parses one of our .shot files; `id` is its stem. `title` and the shot's version build
/// Shot::text in the paper's layout so the `ciri` prompt can show our shots too.
Expected<Shot> parse_shot_file(std::string_view text, std::string_view system,
                               std::string_view title, std::string id);

/// The shots of `system` under `dir`, in either layout (artifact first), misconfigured
/// ones first, each kind in numeric id order. An empty list when `dir` has none for
/// `system`; an Error (with the path) when a shot file is malformed.
Expected<std::vector<Shot>> load_shot_pool(const std::filesystem::path& dir,
                                           std::string_view system);

/// Where our own pools are: datasets/ in ciri's source tree.
std::filesystem::path default_shots_dir();

/// The shots of `pool` the artifact records by number ("Wrong shot number: [13, 9, 15]",
/// "Correct shot number: [6]"), misconfigured ones first, each list in the given order.
/// Fails naming the first number the pool lacks.
Expected<std::vector<Shot>> shots_by_number(const std::vector<Shot>& pool,
                                            const std::vector<int>& misconfig_numbers,
                                            const std::vector<int>& valid_numbers);

}  // namespace ciri
