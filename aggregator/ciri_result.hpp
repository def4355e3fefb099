// Reader of the result files the paper's Ciri recorded (results/synthesize_config/...).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// What Ciri concluded for one file.
enum class CiriOutcome {
    misconfigured,         ///< "There are N misconfiguration parameters in the input: p1<TAB>p2"
    correct,               ///< "The CONFIGURATION FILE IS CORRECT"
    no_consistent_result,  ///< "NO CONSISTENT RESULT"
};

/// One recorded result file. Ciri samples a round of answers, votes, and when the vote is a tie
/// records the round and samples a new one; so every round but the last is a tie and the Final
/// result is the vote over `rounds.back()` (the deciding round).
struct CiriResult {
    std::vector<int>
        misconfig_shots;           ///< "Wrong shot number:" (Misconfig shots); empty for zero-shot
    std::vector<int> valid_shots;  ///< "Correct shot number:" (ValidConfig shots)
    /// The raw answers of each "Raw json:" block, one string per answer line, as written
    /// (Python-literal style; read them with extract_answer).
    std::vector<std::vector<std::string>> rounds;
    CiriOutcome outcome = CiriOutcome::correct;
    std::vector<std::string> params;   ///< reported parameters, in recorded order
    std::vector<std::string> reasons;  ///< parallel to params; "" where the record has none

    /// The round the Final result was voted on; empty when there is no round.
    const std::vector<std::string>& deciding_round() const;
};

/// Parses the text of a recorded result file. Fails (with the line) on a missing "Final result:",
/// a malformed shot list, a parameter count that disagrees with the list, or a reason for a
/// parameter that was not reported.
Expected<CiriResult> parse_ciri_result(std::string_view text);

/// Reads and parses a recorded result file; the Error carries the path.
Expected<CiriResult> read_ciri_result(const std::filesystem::path& path);

/// Where a result file sits: results/synthesize_config/<system>/<model>/<mode>/<kind>/<number>.
struct CiriResultId {
    std::string system;  ///< e.g. "hdfs"
    std::string model;   ///< e.g. "gpt-4-0125-preview"
    std::string mode;    ///< "default" or "zero_shot"
    std::string kind;    ///< "correct" or "erroneous"
    int number = 0;      ///< the dataset file number

    /// datasets/synthesize_config/<system>/<kind>/<number> under the artifact root.
    std::filesystem::path dataset_file(const std::filesystem::path& artifact_root) const;
};

/// Reads the id from the last five components of `path`; fails when they do not fit.
Expected<CiriResultId> ciri_result_id(const std::filesystem::path& path);

/// Every result file under `<artifact_root>/results/synthesize_config`, sorted by path; empty
/// when the folder is absent.
std::vector<std::filesystem::path> ciri_result_files(const std::filesystem::path& artifact_root);

}  // namespace ciri
