#include "eval/prediction.hpp"

namespace ciri {

namespace {

using nlohmann::json;

Expected<std::vector<std::string>> string_list(const json& j, const char* key) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) return fail(std::string("\"") + key + "\" must be a list");
    for (const auto& v : j[key]) {
        if (!v.is_string()) return fail(std::string("\"") + key + "\" must hold strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

// Reads an optional field of the expected JSON kind into `out`.
template <class T>
Expected<void> field(const json& j, const char* key, T& out) {
    if (!j.contains(key) || j[key].is_null()) return {};
    try {
        out = j[key].get<T>();
    } catch (const json::exception&) {
        return fail(std::string("\"") + key + "\" has the wrong type");
    }
    return {};
}

}  // namespace

Expected<VerdictStatus> parse_verdict(std::string_view text) {
    if (text == "valid") return VerdictStatus::valid;
    if (text == "misconfigured") return VerdictStatus::misconfigured;
    if (text == "inconclusive") return VerdictStatus::inconclusive;
    return fail("unknown verdict '" + std::string(text) + "'");
}

json to_json(const Prediction& p) {
    json j = {
        {"id", p.id},
        {"system", p.system},
        {"label", std::string(to_string(p.label))},
        {"truth", p.truth},
        {"category", p.category},
        {"subcategory", p.subcategory},
        {"file_params", p.file_params},
        {"verdict", std::string(to_string(p.verdict))},
        {"reported", p.reported},
        {"answers", p.answers},
        {"invalid_answers", p.invalid_answers},
        {"reported_raw", p.reported_raw},
        {"hallucinated", p.hallucinated},
        {"requests", p.requests},
        {"prompt_tokens", p.prompt_tokens},
        {"completion_tokens", p.completion_tokens},
        {"cached_tokens", p.cached_tokens},
        {"cost_usd", p.cost_usd ? json(*p.cost_usd) : json(nullptr)},
        {"latency_ms", p.latency_ms},
    };
    if (!p.members.empty()) {
        json members = json::array();
        for (const auto& m : p.members)
            members.push_back({{"name", m.name}, {"verdict", std::string(to_string(m.verdict))}, {"reported", m.reported}});
        j["members"] = std::move(members);
    }
    if (!p.error.empty()) j["error"] = p.error;
    return j;
}

Expected<Prediction> prediction_from_json(const json& j) {
    if (!j.is_object()) return fail("a prediction must be a json object");
    Prediction p;
    if (!j.contains("id") || !j["id"].is_string()) return fail("missing \"id\"");
    std::string label = "valid", verdict = "valid";
    double cost = -1;
    bool has_cost = j.contains("cost_usd") && j["cost_usd"].is_number();
    for (auto r : {field(j, "id", p.id), field(j, "system", p.system), field(j, "label", label),
                   field(j, "category", p.category), field(j, "subcategory", p.subcategory),
                   field(j, "file_params", p.file_params), field(j, "verdict", verdict),
                   field(j, "answers", p.answers), field(j, "invalid_answers", p.invalid_answers),
                   field(j, "reported_raw", p.reported_raw), field(j, "hallucinated", p.hallucinated),
                   field(j, "requests", p.requests), field(j, "prompt_tokens", p.prompt_tokens),
                   field(j, "completion_tokens", p.completion_tokens),
                   field(j, "cached_tokens", p.cached_tokens), field(j, "cost_usd", cost),
                   field(j, "latency_ms", p.latency_ms), field(j, "error", p.error)})
        if (!r) return std::unexpected(r.error());
    if (has_cost) p.cost_usd = cost;
    if (label == "valid") p.label = Label::valid;
    else if (label == "misconfigured") p.label = Label::misconfigured;
    else return fail("unknown label '" + label + "'");
    auto v = parse_verdict(verdict);
    if (!v) return std::unexpected(v.error());
    p.verdict = *v;
    auto truth = string_list(j, "truth");
    auto reported = string_list(j, "reported");
    if (!truth) return std::unexpected(truth.error());
    if (!reported) return std::unexpected(reported.error());
    p.truth = std::move(*truth);
    p.reported = std::move(*reported);
    if (j.contains("members")) {
        if (!j["members"].is_array()) return fail("\"members\" must be a list");
        for (const auto& m : j["members"]) {
            MemberPrediction mp;
            std::string mv = "valid";
            if (!m.is_object()) return fail("a member must be an object");
            if (auto r = field(m, "name", mp.name); !r) return std::unexpected(r.error());
            if (auto r = field(m, "verdict", mv); !r) return std::unexpected(r.error());
            auto pv = parse_verdict(mv);
            if (!pv) return std::unexpected(pv.error());
            mp.verdict = *pv;
            auto mr = string_list(m, "reported");
            if (!mr) return std::unexpected(mr.error());
            mp.reported = std::move(*mr);
            p.members.push_back(std::move(mp));
        }
    }
    return p;
}

namespace {

// The dataset's side of a prediction (what the file is), from a DatasetItem or a Prediction.
template <class Source>
Prediction labelled(const Source& from, const std::vector<std::string>& truth) {
    Prediction p;
    p.id = from.id, p.system = from.system, p.label = from.label, p.truth = truth;
    p.category = from.category, p.subcategory = from.subcategory;
    return p;
}

Prediction prediction_for_labels(const Prediction& p) {
    Prediction out = labelled(p, p.truth);
    out.file_params = p.file_params;
    return out;
}

}  // namespace

Prediction prediction_for(const DatasetItem& item) { return labelled(item, item.params); }

std::optional<Prediction> member_view(const Prediction& p, std::string_view member) {
    for (const auto& m : p.members) {
        if (m.name != member) continue;
        // Usage belongs to the whole setup and is not split per member, so it is left out.
        Prediction out = prediction_for_labels(p);
        out.verdict = m.verdict;
        out.reported = m.reported;
        return out;
    }
    return std::nullopt;
}

}  // namespace ciri
