#include "eval/predictor.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "aggregator/answer.hpp"
#include "aggregator/hallucination.hpp"
#include "ciri/rules_opinions.hpp"
#include "ciri/backends/model_spec.hpp"
#include "ciri/rules/job.hpp"
#include "parsers/load.hpp"

namespace ciri {

namespace {

const char* vote_name(VoteMethod m) { return to_string(m); }

std::vector<std::string> reported_of(const ciri::Verdict& v) {
    std::vector<std::string> out;
    for (const auto& f : v.findings) out.push_back(f.parameter);
    return out;
}

}  // namespace

std::string short_model_name(const std::string& spec) {
    auto parsed = parse_model_spec(spec);
    if (!parsed) return spec;
    std::string m = parsed->model;
    if (parsed->provider == "recorded")
        if (size_t at = m.rfind('@'); at != std::string::npos) m.resize(at);
    return m;
}

Expected<std::unique_ptr<RecordedPredictor>> RecordedPredictor::create(RecordedOptions options) {
    if (options.models.empty() && !options.rules)
        return fail("no model given (--model recorded/<model>@<answers.jsonl>)");
    std::unique_ptr<RecordedPredictor> p(new RecordedPredictor(options));
    for (const auto& spec_text : options.models) {
        auto spec = parse_model_spec(spec_text);
        if (!spec) return std::unexpected(spec.error());
        if (spec->provider != "recorded")
            return fail("'" + spec_text + "': eval runs recorded models only until the live pipeline is plugged in");
        auto parts = parse_recorded_spec(spec->model);
        if (!parts) return std::unexpected(parts.error());
        auto answers = RecordedAnswers::shared(parts->second);
        if (!answers) return std::unexpected(answers.error());
        if (parts->first.model == "*") {
            // Every model of the file, in the spec's mode, in the file's (sorted) order.
            for (const auto& model : (*answers)->models()) {
                RecordedModel rm = parts->first;
                rm.model = model;
                std::string name = "recorded/" + model + (rm.mode == "default" ? "" : ":" + rm.mode) +
                                   (rm.final ? ":final" : "") + "@" + parts->second.string();
                const auto modes = (*answers)->modes(model);
                if (std::find(modes.begin(), modes.end(), rm.mode) == modes.end()) continue;
                if (options.recorded_final) rm.final = true;
                p->members_.push_back({name, rm, *answers});
            }
            continue;
        }
        const auto modes = (*answers)->modes(parts->first.model);
        if (modes.empty())
            return fail("'" + parts->second.string() + "' has no answers of model '" + parts->first.model + "'");
        if (std::find(modes.begin(), modes.end(), parts->first.mode) == modes.end())
            return fail("'" + parts->second.string() + "' has no mode '" + parts->first.mode + "' for model '" +
                        parts->first.model + "'");
        Member m{spec_text, parts->first, *answers};
        if (options.recorded_final) m.model.final = true;
        p->members_.push_back(std::move(m));
    }
    return p;
}

nlohmann::json RecordedPredictor::describe() const {
    nlohmann::json models = nlohmann::json::array();
    std::string name;
    for (const auto& m : members_) {
        models.push_back(m.name);
        name += (name.empty() ? "" : " + ") + short_model_name(m.name);
    }
    // Long member lists make unreadable table rows and legends; the models are listed apart.
    if (members_.size() > 3) name = std::to_string(members_.size()) + " models";
    if (options_.rules) {
        models.push_back("rules");
        name = name.empty() ? "rules" : "rules + " + name;
    }
    if (members_.size() + (options_.rules ? 1 : 0) > 1) name = std::string(vote_name(options_.vote.method)) + " vote: " + name;
    if (options_.recorded_final) name += " (recorded final)";
    nlohmann::json out = {{"name", name},
                          {"kind", "recorded"},
                          {"models", models},
                          {"vote", vote_name(options_.vote.method)},
                          {"threshold", options_.vote.threshold ? nlohmann::json(*options_.vote.threshold) : nlohmann::json()},
                          {"recorded_final", options_.recorded_final},
                          {"rules", options_.rules},
                          {"hallucination_filter", options_.filter.value_or(!options_.recorded_final)}};
    // Where the weights of the vote scored beside came from (in-sample if they were fitted on the
    // very dataset scored: the shipped ones were fitted on the paper's artifact).
    if (options_.calibrated_beside) out["calibrated_beside"] = options_.calibrated_beside->source;
    return out;
}

const SpecSet* RecordedPredictor::spec_for(const std::string& system) const {
    std::lock_guard lock(specs_mutex_);
    auto& slot = specs_[system];
    if (!slot) {
        auto spec = load_spec_set(system, options_.spec_paths);
        slot = std::make_unique<SpecSet>(spec ? std::move(*spec) : SpecSet{});
    }
    return slot.get();
}

std::vector<VoterOpinions> RecordedPredictor::opinions(const DatasetItem& item, std::optional<ConfigFile>& file,
                                                       Prediction& pred, std::string& missing) const {
    LoadOptions load;
    load.system = item.system;
    load.version = item.version;
    if (auto loaded = load_config(item.path.string(), load)) file = std::move(*loaded);
    if (file) pred.file_params = static_cast<int>(file->params.size());
    std::string key;
    if (item.kind.empty()) {
        // Our layout: find the recorded file by its content.
        if (file) key = content_key(file->text);
        else if (std::ifstream in(item.path, std::ios::binary); in) {
            std::stringstream buf;
            buf << in.rdbuf();
            key = content_key(buf.str());
        }
    }
    const bool filter = options_.filter.value_or(!options_.recorded_final);
    std::vector<BackendSamples> samples;
    for (const auto& m : members_) {
        const RecordedRecord* rec =
            item.kind.empty() ? (key.empty() ? nullptr : m.answers->find_by_key(m.model.model, m.model.mode, key))
                              : m.answers->find(m.model.model, m.model.mode, item.system, item.kind, item.number);
        BackendSamples b;
        b.name = m.name;
        if (!rec) {
            missing += (missing.empty() ? "" : ", ") + short_model_name(m.name);
            samples.push_back(std::move(b));
            continue;
        }
        const std::vector<std::string> texts =
            m.model.final ? std::vector<std::string>{rec->final_answer()} : rec->deciding_round();
        for (const auto& text : texts) {
            ++pred.answers;
            auto answer = extract_answer(text);
            if (!answer || !check_answer(*answer, CheckRules::ciri_artifact())) {
                ++b.invalid;
                ++pred.invalid_answers;
                continue;
            }
            pred.reported_raw += static_cast<int>(answer->params.size());
            GroundedAnswer g = file ? filter_hallucinations(*answer, *file) : ungrounded(*answer);
            pred.hallucinated += static_cast<int>(g.dropped.size());
            b.answers.push_back(filter ? std::move(g) : ungrounded(*answer));
        }
        samples.push_back(std::move(b));
    }
    // Each model read the whole file, and (unfiltered) every name any model reported: it is ok
    // with whatever it did not name.
    ConfigFile scope = file ? *file : ConfigFile{};
    std::set<std::string> keys;
    for (const auto& p : scope.params) keys.insert(p.key);
    for (const auto& b : samples)
        for (const auto& g : b.answers)
            for (const auto& name : g.answer.params)
                if (keys.insert(name).second) scope.params.push_back({name, "", 0, "", ""});
    std::vector<VoterOpinions> voters;
    for (const auto& b : samples) voters.push_back(llm_opinions(b.name, b.weight, b.answers, b.invalid, &scope));
    if (options_.rules && file) {
        const SpecSet& spec = *spec_for(file->system);
        RulesVerdict verdict = check_file_alone(*file, spec);
        voters.push_back(rules_opinions(*file, spec, verdict, options_.rules_voter.weight));
    }
    return voters;
}

Prediction RecordedPredictor::predict(const DatasetItem& item) const {
    Prediction pred = prediction_for(item);
    std::optional<ConfigFile> file;
    std::string missing;
    std::vector<VoterOpinions> voters = opinions(item, file, pred, missing);
    // A model alone is its own samples' majority, whatever the vote across models.
    VoteOptions alone = options_.vote;
    if (alone.method == VoteMethod::log_odds) alone.method = VoteMethod::param;
    for (const auto& v : voters) {
        if (v.name == "rules") continue;
        ciri::Verdict own = vote(std::vector<VoterOpinions>{v}, alone);
        pred.members.push_back({v.name, own.status, reported_of(own)});
    }
    // Decisive rules findings stand on their own, as in validate.
    std::vector<std::string> decisive;
    if (options_.rules && file && options_.rules_voter.decisive)
        decisive = decisive_params(check_file_alone(*file, *spec_for(file->system)), options_.rules_voter);
    auto with_decisive = [&](const ciri::Verdict& v, VerdictStatus& status, std::vector<std::string>& reported) {
        status = v.status;
        reported = reported_of(v);
        for (const auto& param : decisive)
            if (std::ranges::find(reported, param) == reported.end()) reported.push_back(param);
        if (!reported.empty()) status = VerdictStatus::misconfigured;
    };
    // The calibrated and the uncalibrated vote are scored side by side, whichever is the run's.
    if (options_.vote.method == VoteMethod::log_odds && voters.size() > 1) {
        MemberPrediction m{"uncalibrated param vote"};
        with_decisive(vote(voters, alone), m.verdict, m.reported);
        pred.members.push_back(std::move(m));
    } else if (options_.calibrated_beside && voters.size() > 1) {
        VoteOptions calibrated = options_.vote;
        calibrated.method = VoteMethod::log_odds;
        calibrated.weights = *options_.calibrated_beside;
        calibrated.threshold.reset();  // a param threshold means nothing in log-odds
        MemberPrediction m{"calibrated log-odds vote"};
        with_decisive(vote(voters, calibrated), m.verdict, m.reported);
        pred.members.push_back(std::move(m));
    }
    with_decisive(vote(voters, options_.vote), pred.verdict, pred.reported);
    // With every member missing the vote has no quorum and says inconclusive by itself.
    if (!missing.empty()) pred.error = "no recorded answer from " + missing;
    // Replaying costs nothing and sends no request; the artifact recorded no latency or tokens.
    pred.cost_usd = 0.0;
    return pred;
}

}  // namespace ciri
