// --recorded: replay what the paper's Ciri recorded for the dataset file a prompt contains.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ciri::emulator {

/// The answers one recorded result file replays: its "Raw json:" lines verbatim, or, when it
/// has none, its "Final result" rewritten as the same Python-literal dict.
std::vector<std::string> recorded_answers(std::string_view result_text);

/// Python's repr() of a str, as the artifact's dicts print their strings.
std::string python_repr(std::string_view text);

/// Dataset files (synthesize_config/<system>/{correct,erroneous}/<N>) indexed for fast
/// "which file does this prompt contain", each with the model's recorded answers.
class RecordedAnswers {
  public:
    /// Loads every dataset file that has a recorded result for `model` in `mode`; throws
    /// std::runtime_error when the directories are missing or nothing was recorded.
    RecordedAnswers(const std::filesystem::path& results_dir, const std::string& model,
                    const std::string& mode, const std::filesystem::path& datasets_dir);
    RecordedAnswers(const RecordedAnswers&) = delete;
    RecordedAnswers& operator=(const RecordedAnswers&) = delete;

    /// The indexed file whose whole text (trimmed) occurs in `prompt`; the longest if several.
    std::optional<std::size_t> find_file(std::string_view prompt) const;

    /// Consumes the file's next recorded answer, cycling (thread-safe).
    std::string next(std::size_t file);

    /// "<system>/<correct|erroneous>/<N>" of an indexed file.
    const std::string& name(std::size_t file) const { return files_.at(file).name; }

    /// Files indexed.
    std::size_t size() const { return files_.size(); }

    /// Rewinds every file to its first answer.
    void rewind();

  private:
    struct File {
        std::string name;
        std::string text;  // trimmed
        std::vector<std::string> answers;
    };
    struct Anchor {
        std::size_t file;
        std::size_t offset;  // where the anchor window starts in the file
    };

    void build_index();

    std::vector<File> files_;
    // Rolling hashes of one distinctive window per file; a prompt is scanned once.
    std::unordered_map<std::uint64_t, std::vector<Anchor>> anchors_;
    std::vector<std::uint64_t> filter_;     // bitset over anchor hashes: cheap misses
    std::vector<std::size_t> short_files_;  // shorter than the window: found with find()
    std::mutex mutex_;
    std::vector<std::size_t> positions_;
};

}  // namespace ciri::emulator
