// The per-item predictor an evaluation runs: recorded answers now, the live pipeline later.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregator/vote.hpp"
#include <map>
#include <mutex>

#include "aggregator/opinion.hpp"
#include "ciri/backends/recorded_answers.hpp"
#include "ciri/rules/check.hpp"
#include "ciri/rules/spec.hpp"
#include "eval/dataset.hpp"
#include "eval/prediction.hpp"

namespace ciri {

/// Turns one dataset item into a Prediction. Implementations must be safe to call from several
/// threads at once (eval runs items in parallel) and must not throw for a failure of one item:
/// they return a Prediction with `error` set and verdict inconclusive instead.
/// The live pipeline (validate) plugs in here by implementing this interface.
class Predictor {
public:
    virtual ~Predictor() = default;

    /// The prediction for `item`; its labels come from prediction_for(item).
    virtual Prediction predict(const DatasetItem& item) const = 0;

    /// The setup, for results.json ("setup"): at least {"name", "models", "vote"}.
    virtual nlohmann::json describe() const = 0;
};

/// How the recorded predictor votes.
struct RecordedOptions {
    /// Specs `recorded/<model>[:<mode>][:final]@<answers.jsonl>`; model `*` = every model of the file.
    std::vector<std::string> models;
    VoteOptions vote;                 ///< across samples and models; default `param`
    bool recorded_final = false;      ///< every model answers with its recorded Final result
    /// Drop reported names that are not parameters of the file (and report the others under the
    /// file's own key). Unset = on, except with recorded_final, which scores the Final results as
    /// recorded (as the paper's parser does). Hallucinations are counted either way.
    std::optional<bool> filter;
    /// The rules voter takes part beside the recorded models (`--model rules`).
    bool rules = false;
    RulesVoterConfig rules_voter;                   ///< its weight; decisive findings stand alone
    std::vector<std::filesystem::path> spec_paths;  ///< --spec, before the shipped tables
    /// With a `param` or `ciri` vote across several voters: the log-odds vote under these
    /// weights is scored beside it, as the member "calibrated log-odds vote", so every run shows
    /// the calibrated and the uncalibrated vote side by side.
    std::optional<Weights> calibrated_beside;
};

/// Answers each item with recorded answers: per model, the raw answers of the round its
/// Final result was voted on (a model with a single raw answer contributes that one), or with
/// --recorded-final (or a `:final` spec) the Final result as one answer. Each answer is
/// extracted, checked with the rules the artifact enforced, and grounded in the file's
/// parameters (hallucination filter); each model's own vote is kept as a member, and all
/// models vote together (several models = an ensemble). Artifact items are found by
/// system/kind/number, others by the content of their file.
class RecordedPredictor : public Predictor {
public:
    /// Loads the answers files; fails on a spec that is not `recorded/...`, an unreadable file,
    /// or a model (and mode) the file does not hold.
    static Expected<std::unique_ptr<RecordedPredictor>> create(RecordedOptions options);

    Prediction predict(const DatasetItem& item) const override;
    nlohmann::json describe() const override;

    /// Every voter's opinions on `item`'s file (loaded into `file` when it parses): each
    /// recorded model's (answers counted into `pred`), then the rules voter's when it takes part.
    /// A model without a recorded answer is a voter that did not answer, named in `missing`.
    std::vector<VoterOpinions> opinions(const DatasetItem& item, std::optional<ConfigFile>& file, Prediction& pred,
                                        std::string& missing) const;

private:
    const SpecSet* spec_for(const std::string& system) const;
    mutable std::mutex specs_mutex_;
    mutable std::map<std::string, std::unique_ptr<SpecSet>> specs_;
    struct Member {
        std::string name;  ///< the spec as given
        RecordedModel model;
        std::shared_ptr<const RecordedAnswers> answers;
    };
    explicit RecordedPredictor(RecordedOptions options) : options_(std::move(options)) {}
    RecordedOptions options_;
    std::vector<Member> members_;
};

/// A short name for a spec in tables: `recorded/gpt-4-0125-preview@x.jsonl` -> "gpt-4-0125-preview".
std::string short_model_name(const std::string& spec);

}  // namespace ciri
