#include "tests/emulator/responder.hpp"

#include "tests/emulator/billing.hpp"

namespace ciri::emulator {
namespace {

// A ```json ... ``` block reduced to its content; other text unchanged.
std::string unfence(std::string answer) {
    auto begin = answer.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos || answer.compare(begin, 3, "```") != 0) return answer;
    auto body = answer.find('\n', begin);
    auto close = answer.rfind("```");
    if (body == std::string::npos || close <= body) return answer;
    return answer.substr(body + 1, close - body - 1);
}

}  // namespace

std::string builtin_default_answer() {
    return "```json\n{\"hasError\": false, \"errParameter\": [], \"reason\": []}\n```";
}

Sample shape_sample(std::string answer, const ChatRequest& request) {
    Sample sample;
    if (request.json_mode) answer = unfence(std::move(answer));
    std::size_t cut = std::string::npos;
    for (const std::string& stop : request.stop) {
        if (stop.empty()) continue;
        auto at = answer.find(stop);
        if (at < cut) {
            cut = at;
            sample.stop_sequence = stop;
        }
    }
    if (cut != std::string::npos) answer.resize(cut);
    if (request.max_tokens && *request.max_tokens >= 0 &&
        tokens(answer.size()) > *request.max_tokens) {
        answer.resize(static_cast<std::size_t>(*request.max_tokens) * 4);
        sample.cut_by_max_tokens = true;
        sample.stop_sequence.reset();
    }
    sample.text = std::move(answer);
    return sample;
}

Responder::Responder(Script* script, RecordedAnswers* recorded,
                     std::optional<std::string> default_answer, RandomFaults& faults)
    : script_(script), recorded_(recorded), faults_(faults) {
    if (default_answer) {
        default_answer_ = *default_answer;
    } else if (script && script->default_answer()) {
        default_answer_ = *script->default_answer();
    } else {
        default_answer_ = builtin_default_answer();
    }
}

Decision Responder::decide(const ChatRequest& request) {
    Decision decision;
    // Random request faults come first so a failed request consumes no scripted answer.
    if (auto fault = faults_.roll_request()) {
        decision.fired_faults.push_back(fault->kind);
        if (fault->kind != FaultKind::slow) {
            decision.fault = fault;
            return decision;
        }
        decision.delay_ms += fault->delay_ms;
    }
    std::optional<std::size_t> rule = script_ ? script_->find_rule(request) : std::nullopt;
    std::optional<std::size_t> file;
    bool file_searched = false;
    for (int i = 0; i < request.n; ++i) {
        std::optional<std::string> answer;
        if (rule) {
            ScriptItem item = script_->next(*rule);
            answer = item.answer;
            if (item.fault) {
                FaultKind kind = item.fault->kind;
                decision.fired_faults.push_back(kind);
                if (kind == FaultKind::slow) {
                    decision.delay_ms += item.fault->delay_ms;
                } else if (is_sample_fault(kind)) {
                    answer = fault_answer(kind);
                } else {
                    decision.fault = item.fault;
                    decision.samples.clear();
                    return decision;
                }
            }
        }
        if (!answer && recorded_) {
            if (!file_searched) {
                file = recorded_->find_file(request.prompt);
                file_searched = true;
            }
            if (file) answer = recorded_->next(*file);
        }
        if (!answer) answer = default_answer_;
        if (auto fault = faults_.roll_sample()) {
            decision.fired_faults.push_back(fault->kind);
            answer = fault_answer(fault->kind);
        }
        decision.samples.push_back(shape_sample(std::move(*answer), request));
    }
    return decision;
}

}  // namespace ciri::emulator
