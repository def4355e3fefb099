// JSON Lines output (-f jsonl): one JSON object per file, written as each file finishes, then
// one line with the run's summary, so a consumer can act on a file before the run ends.
#pragma once

#include <iosfwd>
#include <mutex>

#include "ciri/report/reporter.hpp"

namespace ciri {

/// Writes the lines of a run to one stream, each whole and flushed at once. Thread-safe: the
/// one writer every thread goes through, so lines never interleave.
class JsonlWriter {
  public:
    JsonlWriter(std::ostream& out, ReportOptions options);

    /// One line: the file's object as -f json gives it (`"schema_version"` beside it).
    void file(const FileResult& result);

    /// The last line: {"summary": ..., "usage": ...}, as -f json's.
    void summary(const RunReport& report);

  private:
    std::mutex mu_;
    std::ostream& out_;
    ReportOptions options_;
};

}  // namespace ciri
