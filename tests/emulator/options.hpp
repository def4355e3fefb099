// The emulator's command line.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/emulator/faults.hpp"

namespace ciri::emulator {

/// Everything the command line sets.
struct Options {
    std::string host = "127.0.0.1";
    int port = 0;  ///< 0: any free port
    /// Connections served at once; each keep-alive connection holds one, so more than the
    /// clients' concurrency keeps latency sleeps from queueing requests.
    int threads = 32;
    std::optional<std::filesystem::path> script;
    std::optional<std::string> default_answer;
    std::optional<std::filesystem::path> recorded;
    std::string recorded_model;
    std::string recorded_mode = "default";
    std::optional<std::filesystem::path>
        dataset;  ///< default: RECORDED/../../datasets/synthesize_config
    double latency_ms = 0;
    double latency_jitter_ms = 0;
    long rpm = 0;  ///< 0: unlimited
    std::vector<FaultRate> faults;
    std::uint64_t seed = 1;
    std::optional<std::filesystem::path> log;
    bool exit_with_parent = false;  ///< die with the process that started us (tests)

    /// The datasets directory --recorded answers are matched against.
    std::filesystem::path dataset_dir() const;
};

/// Parses argv; on --help or a usage error returns the exit code after printing the message.
std::expected<Options, int> parse_options(int argc, char** argv);

}  // namespace ciri::emulator
