// What one voter thinks of each parameter of a file: wrong, ok, or nothing at all (abstain).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "aggregator/hallucination.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// A voter's stance on one parameter. `abstain` means it knows nothing about it: the parameter
/// is weighed among the other voters only. `ok` needs evidence (a check ran and passed, or an
/// LLM read the parameter and did not name it).
enum class Stance { abstain, ok, wrong };

/// "abstain", "ok" or "wrong".
const char* to_string(Stance stance);

/// One voter's opinion of one parameter.
struct Opinion {
    Stance stance = Stance::abstain;
    /// The share (0..1) of the voter's samples saying wrong; the rest said ok. 1 for a wrong
    /// opinion of a voter with one answer, 0 for ok.
    double share = 0;
    std::string category;  ///< the misconfiguration category the voter gave ("" when none)
    std::string reason;    ///< why it is wrong, when the voter said so (for the report)
    int line = 0;          ///< the parameter's line in the file, when known
    std::string value;     ///< the parameter's value as the voter saw it
};

/// One voter's opinions on one scope (a file, or a chunk of it).
struct VoterOpinions {
    std::string name;
    double weight = 1.0;
    /// False when the voter gave no valid answer (down, or every answer invalid): it then
    /// abstains on everything and counts as a configured voter that did not answer.
    bool answered = false;
    std::map<std::string, Opinion> params;  ///< by the file's key; a key absent here = abstain
    /// An LLM's valid samples, kept for the `ciri` vote and for the reasons; empty for rules.
    std::vector<GroundedAnswer> answers;
    int valid = 0;    ///< valid answers behind the opinions (the rules voter counts as one)
    int invalid = 0;  ///< answers that failed extraction or the checks

    /// The opinion on `key` (abstain when there is none).
    const Opinion& on(const std::string& key) const;
};

/// The opinions of an LLM that read every parameter of `scope`: each parameter its valid samples
/// name is wrong with share = samples naming it / valid samples (reasons and lines from the
/// samples), every other parameter of `scope` is ok. Names the samples report that `scope`
/// lacks (ungrounded answers) are wrong too. No valid sample: not answered, abstains everywhere.
VoterOpinions llm_opinions(const std::string& name, double weight, const std::vector<GroundedAnswer>& answers,
                           int invalid, const ConfigFile* scope);

}  // namespace ciri
