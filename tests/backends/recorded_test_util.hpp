// Shared by the recorded-answers tests: the text of one of the artifact's results files.
#pragma once

#include <string>
#include <vector>

namespace ciri::test {

/// An artifact results file: shots [1, 2, 3] wrong and [4] correct, one "Raw json:" block per
/// round of raw answers, and a Final result naming `param` with `reason`.
inline std::string artifact_result(const std::vector<std::vector<std::string>>& rounds,
                                   const std::string& param, const std::string& reason) {
    std::string text = "Wrong shot number:\n[1, 2, 3]\n\nCorrect shot number:\n[4]\n\n";
    for (const auto& round : rounds) {
        text += "Raw json:\n\n";
        for (const auto& answer : round) text += answer + "\n\n";
    }
    return text + "Final result:\n\nThere are 1 misconfiguration parameters in the input: " +
           param + "\n[Ciri] Reason for " + param + ": " + reason + "\n";
}

}  // namespace ciri::test
