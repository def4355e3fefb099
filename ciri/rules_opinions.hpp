// The rules voter's verdict as typed opinions for the vote: where the rules know nothing they
// abstain, so their silence never counts as "fine".
#pragma once

#include "aggregator/opinion.hpp"
#include "ciri/rules/check.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// The opinions of the rules voter on `file`, named "rules": wrong for each finding of
/// `verdict` (with its category, reason, line and value), ok for each other parameter that had
/// an expectation sure enough that breaking it would have been reported (expect() with
/// confidence >= RulesOptions::min_confidence), abstain for every other parameter.
VoterOpinions rules_opinions(const ConfigFile& file, const SpecSet& spec, const RulesVerdict& verdict,
                             double weight, const RulesOptions& options = {});

/// `voter`'s opinions on the parameters of `scope` only (a chunk of the file it judged).
VoterOpinions opinions_within(const VoterOpinions& voter, const ConfigFile& scope);

}  // namespace ciri
