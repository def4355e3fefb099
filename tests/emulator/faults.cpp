#include "tests/emulator/faults.hpp"

#include <charconv>
#include <stdexcept>

namespace ciri::emulator {

std::string_view fault_name(FaultKind kind) {
    switch (kind) {
        case FaultKind::rate_limit:
            return "rate_limit";
        case FaultKind::http_500:
            return "http_500";
        case FaultKind::http_503:
            return "http_503";
        case FaultKind::drop:
            return "drop";
        case FaultKind::truncated:
            return "truncated";
        case FaultKind::malformed_json:
            return "malformed_json";
        case FaultKind::slow:
            return "slow";
        case FaultKind::auth:
            return "auth";
        case FaultKind::bad_request:
            return "bad_request";
        case FaultKind::schema_break:
            return "schema_break";
        case FaultKind::hallucinate:
            return "hallucinate";
    }
    return "unknown";
}

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
    for (FaultKind kind : kAllFaultKinds) {
        if (fault_name(kind) == name) return kind;
    }
    return std::nullopt;
}

bool is_sample_fault(FaultKind kind) {
    return kind == FaultKind::schema_break || kind == FaultKind::hallucinate;
}

std::string fault_answer(FaultKind kind) {
    if (kind == FaultKind::hallucinate) {
        return "```json\n{\"hasError\": true, \"errParameter\": [\"" +
               std::string(kHallucinatedParameter) + "\"], \"reason\": [\"" +
               std::string(kHallucinatedParameter) + " must be set to a positive value\"]}\n```";
    }
    // schema_break: valid JSON that a validator must still reject.
    return "```json\n{\"hasError\": true, \"reason\": [\"the configuration looks wrong\"]}\n```";
}

FaultRate parse_fault_rate(std::string_view spec) {
    auto colon = spec.rfind(':');
    if (colon == std::string_view::npos) {
        throw std::invalid_argument("fault must be KIND:RATE, got '" + std::string(spec) + "'");
    }
    auto kind = parse_fault_kind(spec.substr(0, colon));
    if (!kind) {
        throw std::invalid_argument("unknown fault kind '" + std::string(spec.substr(0, colon)) +
                                    "'");
    }
    std::string_view text = spec.substr(colon + 1);
    bool percent = !text.empty() && text.back() == '%';
    if (percent) text.remove_suffix(1);
    double rate = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rate);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw std::invalid_argument("bad fault rate '" + std::string(spec.substr(colon + 1)) + "'");
    }
    if (percent) rate /= 100;
    if (rate < 0 || rate > 1) {
        throw std::invalid_argument("fault rate must be within 0..1, got '" +
                                    std::string(spec.substr(colon + 1)) + "'");
    }
    return {*kind, rate};
}

RandomFaults::RandomFaults(std::vector<FaultRate> rates, std::uint64_t seed)
    : rates_(std::move(rates)), engine_(seed) {}

std::optional<Fault> RandomFaults::roll_request() {
    return roll(false);
}

std::optional<Fault> RandomFaults::roll_sample() {
    return roll(true);
}

std::optional<Fault> RandomFaults::roll(bool sample_level) {
    if (rates_.empty()) return std::nullopt;
    std::lock_guard lock(mutex_);
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    // Every rate is drawn so the sequence of draws does not depend on which one fired.
    std::optional<Fault> fired;
    for (const FaultRate& rate : rates_) {
        if (is_sample_fault(rate.kind) != sample_level) continue;
        if (coin(engine_) < rate.rate && !fired) fired = Fault{.kind = rate.kind};
    }
    return fired;
}

double RandomFaults::uniform(double low, double high) {
    if (high <= low) return low;
    std::lock_guard lock(mutex_);
    return std::uniform_real_distribution<double>(low, high)(engine_);
}

}  // namespace ciri::emulator
