#include "tests/emulator/stats.hpp"

namespace ciri::emulator {
namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr std::array kEndpoints = {Endpoint::openai, Endpoint::anthropic, Endpoint::ollama};
}  // namespace

void Stats::count_request(Endpoint endpoint) {
    requests_.fetch_add(1, kRelaxed);
    by_endpoint_[static_cast<std::size_t>(endpoint)].fetch_add(1, kRelaxed);
}

void Stats::count_fault(FaultKind kind) {
    faults_[static_cast<std::size_t>(kind)].fetch_add(1, kRelaxed);
}

void Stats::count_rejected_rpm() {
    rejected_rpm_.fetch_add(1, kRelaxed);
}

void Stats::count_reply(int samples, const Usage& usage) {
    samples_.fetch_add(static_cast<std::uint64_t>(samples), kRelaxed);
    prompt_tokens_.fetch_add(static_cast<std::uint64_t>(usage.prompt_tokens), kRelaxed);
    completion_tokens_.fetch_add(static_cast<std::uint64_t>(usage.completion_tokens), kRelaxed);
    cached_prompt_tokens_.fetch_add(static_cast<std::uint64_t>(usage.cached_tokens), kRelaxed);
}

nlohmann::json Stats::to_json() const {
    nlohmann::json by_endpoint = nlohmann::json::object();
    for (Endpoint endpoint : kEndpoints) {
        by_endpoint[std::string(endpoint_name(endpoint))] =
            by_endpoint_[static_cast<std::size_t>(endpoint)].load(kRelaxed);
    }
    nlohmann::json faults = nlohmann::json::object();
    for (FaultKind kind : kAllFaultKinds) {
        faults[std::string(fault_name(kind))] =
            faults_[static_cast<std::size_t>(kind)].load(kRelaxed);
    }
    return {
        {"requests", requests_.load(kRelaxed)},
        {"by_endpoint", by_endpoint},
        {"faults", faults},
        {"samples", samples_.load(kRelaxed)},
        {"prompt_tokens", prompt_tokens_.load(kRelaxed)},
        {"completion_tokens", completion_tokens_.load(kRelaxed)},
        {"cached_prompt_tokens", cached_prompt_tokens_.load(kRelaxed)},
        {"rejected_rpm", rejected_rpm_.load(kRelaxed)},
    };
}

void Stats::reset() {
    requests_ = 0;
    for (auto& counter : by_endpoint_) counter = 0;
    for (auto& counter : faults_) counter = 0;
    samples_ = 0;
    prompt_tokens_ = 0;
    completion_tokens_ = 0;
    cached_prompt_tokens_ = 0;
    rejected_rpm_ = 0;
}

}  // namespace ciri::emulator
