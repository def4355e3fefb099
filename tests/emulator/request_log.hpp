// --log FILE: one JSON line per request, written and flushed as each request ends.
#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>

namespace ciri::emulator {

/// An append-only JSON-lines file (thread-safe: lines never interleave).
class RequestLog {
  public:
    /// Creates (truncates) `path`; throws std::runtime_error when it cannot be opened.
    explicit RequestLog(const std::filesystem::path& path);
    ~RequestLog();
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    /// Writes `entry` as one line and flushes it, so readers see it once the reply is out.
    void write(const nlohmann::json& entry);

  private:
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
};

/// Now as UTC ISO-8601 with milliseconds ("2025-01-31T12:00:00.123Z").
std::string utc_now_iso8601();

}  // namespace ciri::emulator
