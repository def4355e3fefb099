#include "eval/live_predictor.hpp"

#include "eval/prediction.hpp"

namespace ciri {

LivePredictor::LivePredictor(ValidateOptions options, LlmClientOptions client_options)
    : options_(std::move(options)), client_(std::make_unique<LlmClient>(std::move(client_options))) {}

Prediction LivePredictor::predict(const DatasetItem& item) const {
    Prediction p = prediction_for(item);
    ValidateOptions o = options_;
    o.load.system = item.system;
    o.load.version = item.version;
    for (const auto& [k, v] : item.context) o.context[k] = v;
    o.progress = nullptr;
    RunReport report;
    try {
        report = validate_files({item.path.string()}, o, *client_);
    } catch (const UserError& e) {
        p.verdict = VerdictStatus::inconclusive;
        p.error = e.what();
        return p;
    }
    const FileResult& r = report.files.at(0);
    p.file_params = r.param_count;
    switch (r.verdict) {
        case Outcome::valid: p.verdict = VerdictStatus::valid; break;
        case Outcome::misconfigured: p.verdict = VerdictStatus::misconfigured; break;
        case Outcome::inconclusive: p.verdict = VerdictStatus::inconclusive; break;
        case Outcome::error:
            p.verdict = VerdictStatus::inconclusive;
            p.error = r.error;
            return p;
    }
    for (const auto* f : r.active()) p.reported.push_back(f->parameter);
    if (r.verdict == Outcome::inconclusive && p.error.empty())
        for (const auto& n : r.notes) p.error += (p.error.empty() ? "" : "; ") + n;
    const RunUsage& u = report.usage;
    p.answers = static_cast<int>(u.answers);
    p.invalid_answers = static_cast<int>(u.invalid_answers);
    p.reported_raw = static_cast<int>(u.reported);
    p.hallucinated = static_cast<int>(u.hallucinated);
    p.requests = u.requests;
    p.prompt_tokens = u.prompt_tokens;
    p.completion_tokens = u.completion_tokens;
    p.cached_tokens = u.cached_prompt_tokens;
    p.cost_usd = u.cost_usd;
    p.latency_ms = report.wall_seconds * 1000;
    return p;
}

nlohmann::json LivePredictor::describe() const {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& m : options_.models) models.push_back(m.spec.to_string());
    if (options_.rules) models.push_back("rules");
    std::string name = "live: " + std::to_string(options_.models.size()) + " LLM(s)" + (options_.rules ? " + rules" : "");
    return {{"name", name},
            {"models", models},
            {"vote", to_string(options_.vote.method)},
            {"samples", options_.samples},
            {"prompt", options_.prompt.prompt}};
}

}  // namespace ciri
