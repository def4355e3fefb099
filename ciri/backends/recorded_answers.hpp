// Recorded LLM answers (answers.jsonl, made by `ciri eval import-ciri`), looked up by dataset
// file or by the file's text inside a prompt; the store behind the `recorded` backend.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregator/ciri_result.hpp"
#include "base/error.hpp"

namespace ciri {

/// What one model answered for one dataset file, in one mode. One answers.jsonl line.
struct RecordedRecord {
    std::string system;
    std::string model;
    std::string mode;   ///< "default" or "zero_shot"
    std::string kind;   ///< "correct" or "erroneous"
    int number = 0;
    /// The real-world set's case id (e.g. "HDFS-1234"), whose kind is "real_world"; "" otherwise.
    std::string case_id;
    std::string content_sha256;  ///< content_key() of the dataset file's text
    int content_lines = 0;       ///< lines content_key() hashed
    std::string first_line;      ///< the first of those lines (anchors the search in a prompt)
    std::vector<std::vector<std::string>> rounds;  ///< raw answers per "Raw json:" block
    CiriOutcome outcome = CiriOutcome::correct;     ///< the recorded Final result
    std::vector<std::string> params;
    std::vector<std::string> reasons;

    /// "<system>/<kind>/<number>", or "<system>/<case_id>": the id of the artifact dataset item.
    std::string item_id() const {
        return case_id.empty() ? system + "/" + kind + "/" + std::to_string(number) : system + "/" + case_id;
    }

    /// The answers the model gave in the round its Final result was voted on (the last one).
    const std::vector<std::string>& deciding_round() const;

    /// The Final result as one JSON answer {"hasError","errParameter","reason"}; "no consistent
    /// result" and "correct" both read as hasError false (nothing reported).
    std::string final_answer() const;
};

/// The normalised lines of a file's text: trailing whitespace cut from each line, blank lines at
/// both ends dropped. Prompt templates may re-indent nothing but may trim or fence the file,
/// which this tolerates.
std::vector<std::string> content_lines(std::string_view text);

/// SHA-256 (hex) of content_lines(text) joined with '\n': the same for a file and for its copy
/// inside a prompt.
std::string content_key(std::string_view text);

/// One record as the JSON object of an answers.jsonl line.
nlohmann::json to_json(const RecordedRecord& r);

/// Reads one answers.jsonl object; fails naming the first field missing or mistyped.
Expected<RecordedRecord> recorded_from_json(const nlohmann::json& j);

/// Builds the record for a result file read with read_ciri_result, the id from its path, and the
/// text of the dataset file it answers.
RecordedRecord make_record(const CiriResult& result, const CiriResultId& id, std::string_view dataset_text);

/// An answers.jsonl file in memory, indexed. Immutable after load, safe from many threads.
class RecordedAnswers {
public:
    /// Reads `path`; fails on an unreadable file or a malformed line (with its number).
    static Expected<RecordedAnswers> load(const std::filesystem::path& path);

    /// The same file loaded once per process (keyed by canonical path), for backends and eval
    /// runs that name it several times.
    static Expected<std::shared_ptr<const RecordedAnswers>> shared(const std::filesystem::path& path);

    /// Builds the index over `records`.
    explicit RecordedAnswers(std::vector<RecordedRecord> records);

    /// The record of `model` in `mode` for artifact file <system>/<kind>/<number>, or null.
    const RecordedRecord* find(std::string_view model, std::string_view mode, std::string_view system,
                               std::string_view kind, int number) const;

    /// The record of `model` in `mode` whose dataset file has content_key `key`, or null.
    const RecordedRecord* find_by_key(std::string_view model, std::string_view mode, std::string_view key) const;

    /// The record of `model` in `mode` whose dataset file's text appears (as whole lines) in
    /// `text`, e.g. a prompt. When several do, the one that starts last wins: templates put the
    /// file under test after the shots. Null when none does.
    const RecordedRecord* find_in_text(std::string_view model, std::string_view mode, std::string_view text) const;

    /// The models present, sorted.
    std::vector<std::string> models() const;

    /// The modes recorded for `model`, sorted.
    std::vector<std::string> modes(std::string_view model) const;

    const std::vector<RecordedRecord>& records() const { return records_; }

private:
    std::vector<RecordedRecord> records_;
    std::map<std::string, size_t, std::less<>> by_id_;   // model \t mode \t item id
    std::map<std::string, size_t, std::less<>> by_key_;  // model \t mode \t content key
    // first line -> the line counts of files starting with it (any model)
    std::map<std::string, std::vector<int>, std::less<>> anchors_;
};

/// A `recorded` model spec's model part: `<model>[:<mode>][:final]`, e.g.
/// "gpt-4-0125-preview:zero_shot:final". Mode defaults to "default".
struct RecordedModel {
    std::string model;
    std::string mode = "default";
    bool final = false;  ///< answer with the recorded Final result instead of the raw answers
};

/// Parses `<model>[:<mode>][:final]`; fails on an empty model.
Expected<RecordedModel> parse_recorded_model(std::string_view text);

/// The model field of a `recorded/<model>[:<mode>][:final]@<answers.jsonl>` spec (everything
/// after "recorded/"), split at its last '@'. Fails when there is no '@' or no file.
Expected<std::pair<RecordedModel, std::filesystem::path>> parse_recorded_spec(std::string_view model_field);

}  // namespace ciri
