// Turns the valid answers of one or more backends into a verdict.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/hallucination.hpp"
#include "aggregator/opinion.hpp"
#include "aggregator/weights.hpp"

namespace ciri {

/// What one backend produced for a file.
struct BackendSamples {
    std::string name;
    double weight = 1.0;                  ///< from the config; default 1
    std::vector<GroundedAnswer> answers;  ///< valid answers (checked, hallucinations filtered)
    int invalid = 0;                      ///< answers that failed extraction or the check
};

enum class VoteMethod {
    /// The paper's rule per backend: the most frequent exact set of parameters over its samples
    /// wins; a tie for the most frequent is "no consistent result". Several backends: each
    /// decided backend gives its weight to its set; the set with more than half the weight of
    /// the backends that answered wins, otherwise "no consistent result". With one backend this
    /// is exactly the paper's vote.
    ciri,
    /// Each backend's vote for a parameter is the share of its valid samples reporting it times
    /// its weight; a parameter is reported when the sum exceeds the threshold (default: half the
    /// weight of the voters that did not abstain on it).
    param,
    /// The naive-Bayes vote: a parameter's log-odds are the prior's plus each non-abstaining
    /// voter's log-likelihood ratio (weights.hpp) times its weight; reported above the threshold.
    /// A lone voter that answered (without an explicit threshold) decides by its own majority.
    log_odds,
};

/// "ciri", "param" or "log-odds".
const char* to_string(VoteMethod method);

/// Parses to_string(VoteMethod); nullopt for anything else.
std::optional<VoteMethod> parse_vote_method(std::string_view text);

struct VoteOptions {
    VoteMethod method = VoteMethod::param;
    /// `param`: the sum a parameter's votes must exceed; default half the total weight of the
    /// voters that answered and did not abstain on it. `log_odds`: overrides weights.threshold.
    std::optional<double> threshold;
    /// `log_odds`: prior, threshold and per-voter reliability.
    Weights weights;
    /// Quorum: fewer valid answers (over all backends) than this makes the verdict inconclusive.
    int min_valid = 1;
    /// `ciri`: compare errParameter lists in order instead of as sets. The artifact's code did
    /// so (its recorded re-queries show it); the paper describes sets.
    bool ordered = false;
    /// Cosine threshold of the reason clustering (see pick_reason).
    double reason_threshold = 0.5;
};

enum class VerdictStatus { valid, misconfigured, inconclusive };

/// Name of a status as printed: "valid", "misconfigured", "inconclusive".
const char* to_string(VerdictStatus status);

/// A reported parameter.
struct Finding {
    std::string parameter;  ///< the file's key
    int line = 0;           ///< 1-based line in the file; 0 when the answers were not grounded
    std::string value;
    std::string reason;  ///< from pick_reason over the agreeing answers
    double votes = 0;    ///< sum over backends of weight x share of its samples reporting it
    double total = 0;    ///< total weight of the backends that answered
    std::vector<std::string> voters;  ///< backends with at least one sample reporting it
    std::string category;  ///< the category the first voter naming it gave (Syntax, Range, ...); "" when none did
};

struct VoteCounts {
    int backends = 0;           ///< backends given
    int backends_answered = 0;  ///< backends with at least one valid answer
    int valid = 0;              ///< valid answers over all backends
    int invalid = 0;            ///< invalid answers over all backends
    int dropped = 0;            ///< reported names removed by the hallucination filter
};

struct Verdict {
    VerdictStatus status = VerdictStatus::inconclusive;
    std::vector<Finding>
        findings;  ///< in the file's order when grounded, else first-reported order
    VoteCounts counts;
    std::string why;  ///< for inconclusive: "no quorum ..." or "no consistent result"
};

/// Votes over the backends' valid answers. Inconclusive (never valid) below the quorum or when
/// the `ciri` vote has no consistent result; then `findings` is empty. Otherwise misconfigured
/// when some parameter is reported, valid when none is.
Verdict vote(const std::vector<BackendSamples>& backends, const VoteOptions& options = {});

/// The same vote over typed opinions, each parameter weighed only among the voters that did not
/// abstain on it. `ciri` votes on the sets of parameters each voter calls wrong (an LLM's own
/// samples first decide its set, as in vote() above). A voter that did not answer counts in
/// neither the total nor the quorum.
Verdict vote(const std::vector<VoterOpinions>& voters, const VoteOptions& options = {});

/// The `ciri` vote of one backend's answers: the winning parameter list (in the order of its
/// first occurrence), or nullopt for "no consistent result" (a tie for the most frequent set,
/// or no answer).
std::optional<std::vector<std::string>> ciri_vote(const std::vector<Answer>& answers,
                                                  bool ordered = false);

/// Early stop: true when `remaining` more samples of this backend can no longer change its vote,
/// whatever they answer (valid or not). `ciri`: the leading set stays strictly ahead even if every
/// remaining sample goes to the runner-up. `param`: for every parameter (seen or not), whether
/// more than half of the backend's valid samples report it is settled. With several backends the
/// `param` sum uses the exact shares, which later samples still move; this settles the backend's
/// own majority, which decides the sum whenever the backends agree.
bool can_stop_early(const std::vector<GroundedAnswer>& so_far, int remaining,
                    const VoteOptions& options = {});

}  // namespace ciri
