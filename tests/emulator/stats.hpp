// The counters GET /stats reports.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "tests/emulator/chat.hpp"
#include "tests/emulator/faults.hpp"

namespace ciri::emulator {

/// Lock-free request counters (thread-safe).
class Stats {
  public:
    /// Counts one request that reached a chat endpoint (whatever became of it).
    void count_request(Endpoint endpoint);

    /// Counts one injected fault (sample faults count once per spoilt sample).
    void count_fault(FaultKind kind);

    /// Counts a request turned away by --rpm.
    void count_rejected_rpm();

    /// Counts a reply that delivered `samples` answers, billed with `usage`.
    void count_reply(int samples, const Usage& usage);

    /// {"requests","by_endpoint":{...},"faults":{every kind},"samples","prompt_tokens",
    ///  "completion_tokens","cached_prompt_tokens","rejected_rpm"}.
    nlohmann::json to_json() const;

    /// Zeroes every counter.
    void reset();

  private:
    using Counter = std::atomic<std::uint64_t>;
    Counter requests_{0};
    std::array<Counter, 3> by_endpoint_{};
    std::array<Counter, kAllFaultKinds.size()> faults_{};
    Counter samples_{0};
    Counter prompt_tokens_{0};
    Counter completion_tokens_{0};
    Counter cached_prompt_tokens_{0};
    Counter rejected_rpm_{0};
};

}  // namespace ciri::emulator
