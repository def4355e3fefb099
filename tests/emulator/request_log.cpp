#include "tests/emulator/request_log.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

namespace ciri::emulator {

RequestLog::RequestLog(const std::filesystem::path& path) {
    file_ = std::fopen(path.c_str(), "w");
    if (!file_) throw std::runtime_error("cannot open log file " + path.string());
}

RequestLog::~RequestLog() {
    if (file_) std::fclose(file_);
}

void RequestLog::write(const nlohmann::json& entry) {
    // Prompts may hold bytes that are not UTF-8; the line must still be written.
    std::string line = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
}

std::string utc_now_iso8601() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[40];
    std::size_t used = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buffer + used, sizeof buffer - used, ".%03dZ", static_cast<int>(ms.count()));
    return buffer;
}

}  // namespace ciri::emulator
