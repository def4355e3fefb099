// predictions.jsonl: the append-only journal a run writes as items finish.
#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "eval/prediction.hpp"

namespace ciri {

/// What reading a journal found.
struct JournalContents {
    std::vector<Prediction> predictions;  ///< in file order, later duplicates of an id dropped
    int skipped_lines = 0;  ///< lines that were not a whole prediction (a write cut short by a kill)
    bool torn_tail = false;  ///< the file did not end with a newline (the last write was cut)
};

/// Reads `path`. A line that is not a complete prediction (the tail of a killed run, or a
/// corrupted line) is skipped and counted, never fatal. A missing file reads as empty.
Expected<JournalContents> read_journal(const std::filesystem::path& path);

/// An open journal. Each append writes one whole line and flushes it to disk (fsync) before
/// returning, so a run killed at any instant (SIGKILL) keeps every item append returned for.
/// Safe to call from several threads.
class JournalWriter {
public:
    /// Opens `path` for appending (created when absent). If the file ends in a torn line,
    /// a newline is written first so the next record starts on a line of its own.
    static Expected<JournalWriter> open(const std::filesystem::path& path);

    JournalWriter(JournalWriter&& other) noexcept;
    JournalWriter& operator=(JournalWriter&&) = delete;
    JournalWriter(const JournalWriter&) = delete;
    ~JournalWriter();

    /// Appends `p` as one line and makes it durable; fails when the write or fsync fails.
    Expected<void> append(const Prediction& p);

private:
    explicit JournalWriter(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    int fd_ = -1;
    std::filesystem::path path_;
    std::mutex mutex_;
};

/// Writes `predictions` to `path` as a new journal (replacing it), atomically: a temporary
/// file is written, synced and renamed over `path`.
Expected<void> write_journal(const std::filesystem::path& path, const std::vector<Prediction>& predictions);

}  // namespace ciri
