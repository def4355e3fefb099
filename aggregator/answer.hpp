// One LLM answer: found in free text, then checked against the paper's rules.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// How the answer object was shaped, kept by extraction so check_answer can name what was wrong
/// instead of extraction silently coercing it. All true/empty for a well-formed answer.
struct AnswerShape {
    bool has_error_bool = true;             ///< hasError was present and a boolean
    bool params_list = true;                ///< errParameter was present and a list
    bool reasons_list = true;               ///< reason was present and a list
    std::vector<size_t> non_string_params;  ///< indices into params of items that were not strings
    std::vector<size_t>
        non_string_reasons;  ///< indices into reasons of items that were not strings
};

/// An answer as {hasError, errParameter, reason}. Items that were not strings are kept as their
/// literal text (e.g. `42`, `null`) and listed in `shape`; a lone string where a list belongs
/// becomes a one-item list with `shape.*_list` false.
struct Answer {
    bool has_error = false;
    std::vector<std::string> params;
    std::vector<std::string> reasons;
    AnswerShape shape;
};

/// Finds the answer in an LLM reply: the first `{...}` that parses (as JSON or as a Python
/// literal, see read_literal) and has at least one of the keys hasError, errParameter, reason.
/// Code fences are searched first, then the whole text, so prose around the object is ignored.
/// Fails with "no answer object found" when there is none.
Expected<Answer> extract_answer(std::string_view text);

/// Which of the paper's rules check_answer enforces.
struct CheckRules {
    bool unique_params = true;     ///< errParameter has no repeated name
    bool reason_per_param = true;  ///< as many reasons as parameters

    /// The rules the artifact's Ciri actually enforced before voting: its recorded valid answers
    /// include 32 with a repeated parameter and 117 with a reason count that differs, and its
    /// votes count them, so replaying it needs both rules off.
    static CheckRules ciri_artifact() { return {false, false}; }
};

/// Passes when the answer follows the paper's rules: hasError a boolean, errParameter and reason
/// lists; hasError false => both lists empty; hasError true => errParameter non-empty, every item
/// of both lists a string, and (per `rules`) no repeated parameter and one reason per parameter.
/// The Error names the first rule broken.
Expected<void> check_answer(const Answer& answer, const CheckRules& rules = {});

}  // namespace ciri
