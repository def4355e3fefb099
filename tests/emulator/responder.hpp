// What the model answers: script rule, else recorded answer, else the default; plus faults.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/emulator/chat.hpp"
#include "tests/emulator/faults.hpp"
#include "tests/emulator/recorded.hpp"
#include "tests/emulator/script.hpp"

namespace ciri::emulator {

/// The answer when nothing else applies: a valid-config verdict in a ```json fence.
std::string builtin_default_answer();

/// `answer` as the request asks for it: unfenced in JSON mode, cut at the first stop
/// sequence, cut to max_tokens (tokens = bytes / 4).
Sample shape_sample(std::string answer, const ChatRequest& request);

/// The fate of one request.
struct Decision {
    std::optional<Fault> fault;           ///< a request-level fault: no normal reply
    long delay_ms = 0;                    ///< extra wait from slow faults
    std::vector<Sample> samples;          ///< n samples when there is no request-level fault
    std::vector<FaultKind> fired_faults;  ///< every fault injected (for /stats)
};

/// Decides answers and faults per request (thread-safe as its parts are).
class Responder {
  public:
    /// `script` and `recorded` may be null; `default_answer` overrides the script's default.
    Responder(Script* script, RecordedAnswers* recorded, std::optional<std::string> default_answer,
              RandomFaults& faults);

    /// Consumes one script response / recorded answer per sample, in that precedence.
    Decision decide(const ChatRequest& request);

  private:
    Script* script_;
    RecordedAnswers* recorded_;
    std::string default_answer_;
    RandomFaults& faults_;
};

}  // namespace ciri::emulator
