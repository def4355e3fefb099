// Failure modes of real providers, injected by script items or at random.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ciri::emulator {

enum class FaultKind {
    rate_limit,
    http_500,
    http_503,
    drop,
    truncated,
    malformed_json,
    slow,
    auth,
    bad_request,
    schema_break,
    hallucinate,
};

/// Every kind, in the order /stats lists them.
inline constexpr std::array kAllFaultKinds = {
    FaultKind::rate_limit,  FaultKind::http_500,       FaultKind::http_503,    FaultKind::drop,
    FaultKind::truncated,   FaultKind::malformed_json, FaultKind::slow,        FaultKind::auth,
    FaultKind::bad_request, FaultKind::schema_break,   FaultKind::hallucinate,
};

/// The kind's name as written in --fault and scripts ("rate_limit", "http_500", ...).
std::string_view fault_name(FaultKind kind);

/// The kind called `name`, or nullopt.
std::optional<FaultKind> parse_fault_kind(std::string_view name);

/// True for kinds that spoil one sample's answer (a 200 reply) instead of the whole request.
bool is_sample_fault(FaultKind kind);

/// One fault to inject, with its parameters.
struct Fault {
    FaultKind kind = FaultKind::http_500;
    std::string retry_after = "1";  ///< rate_limit: Retry-After value (seconds or an HTTP date)
    long delay_ms = 30000;          ///< slow: how long to wait before answering
};

/// The parameter name a hallucinating answer reports.
inline constexpr std::string_view kHallucinatedParameter = "ciri.emulator.no_such_parameter";

/// The answer text a sample fault puts in place of the real answer.
std::string fault_answer(FaultKind kind);

/// A --fault KIND:RATE flag.
struct FaultRate {
    FaultKind kind;
    double rate;  ///< probability per request (per sample for sample faults), 0..1
};

/// Parses "KIND:RATE" (RATE as 0.25 or 25%); throws std::invalid_argument saying what is wrong.
FaultRate parse_fault_rate(std::string_view spec);

/// Draws random faults from the --fault rates with one seeded generator (thread-safe).
class RandomFaults {
  public:
    /// Promises reproducible draws for a given seed and call order.
    RandomFaults(std::vector<FaultRate> rates, std::uint64_t seed);

    /// A request-level fault (anything but schema_break/hallucinate) for the next request, if any.
    std::optional<Fault> roll_request();

    /// A sample fault (schema_break/hallucinate) for the next sample, if any.
    std::optional<Fault> roll_sample();

    /// A uniform number in [low, high], from the same seeded generator.
    double uniform(double low, double high);

  private:
    std::optional<Fault> roll(bool sample_level);

    std::vector<FaultRate> rates_;
    std::mutex mutex_;
    std::mt19937_64 engine_;
};

}  // namespace ciri::emulator
