#include "eval/calibrate.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "eval/metrics.hpp"

namespace ciri {

std::vector<VotedParam> voted_params(const std::vector<DatasetItem>& items, const RecordedPredictor& predictor) {
    std::vector<std::vector<VotedParam>> per_item(items.size());
    tbb::parallel_for(size_t(0), items.size(), [&](size_t i) {
        const DatasetItem& item = items[i];
        Prediction scratch = prediction_for(item);
        std::optional<ConfigFile> file;
        std::string missing;
        auto voters = predictor.opinions(item, file, scratch, missing);
        std::set<std::string> truth(scratch.truth.begin(), scratch.truth.end()), seen;
        auto& out = per_item[i];
        if (file)
            for (const auto& p : file->params) {
                if (!seen.insert(p.key).second) continue;
                VotedParam vp{item.system, truth.contains(p.key), {}, item.id, p.key};
                for (const auto& v : voters)
                    if (v.answered && v.on(p.key).stance != Stance::abstain)
                        vp.opinions.emplace_back(voter_key(v.name), v.on(p.key));
                out.push_back(std::move(vp));
            }
        for (const auto& t : truth)
            if (!seen.contains(t)) out.push_back({item.system, true, {}, item.id, t});
    });
    std::vector<VotedParam> all;
    for (auto& v : per_item) std::move(v.begin(), v.end(), std::back_inserter(all));
    return all;
}

std::string voted_params_jsonl(const std::vector<VotedParam>& params) {
    std::string out;
    for (const auto& p : params) {
        nlohmann::ordered_json line = {{"item", p.item}, {"system", p.group}, {"key", p.key}};
        line["misconfigured"] = p.misconfigured ? nlohmann::ordered_json(*p.misconfigured) : nullptr;
        auto& ops = line["opinions"] = nlohmann::ordered_json::object();
        for (const auto& [voter, o] : p.opinions)
            ops[voter] = {{"stance", to_string(o.stance)}, {"share", o.share}, {"category", o.category}, {"value", o.value}, {"reason", o.reason}};
        out += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    return out;
}

ParamScores score_params(const std::vector<VotedParam>& params, const std::function<bool(const VotedParam&)>& reported) {
    std::map<std::string, Counts> counts;
    for (const auto& p : params) {
        if (!p.misconfigured) continue;
        Counts& c = counts[p.group];
        bool r = reported(p);
        if (r && *p.misconfigured) ++c.tp;
        else if (r) ++c.fp;
        else if (*p.misconfigured) ++c.fn;
    }
    ParamScores s;
    for (const auto& [g, c] : counts) {
        Rates r = rates(c);
        s.precision += r.precision, s.recall += r.recall, s.f1 += r.f1;
        s.f1_by_group[g] = r.f1;
    }
    if (!counts.empty()) {
        double n = static_cast<double>(counts.size());
        s.precision /= n, s.recall /= n, s.f1 /= n;
    }
    return s;
}

std::vector<VotedParam> only_voters(const std::vector<VotedParam>& params, const std::vector<std::string>& voters) {
    std::vector<VotedParam> out = params;
    for (auto& p : out)
        std::erase_if(p.opinions, [&](const auto& o) { return std::ranges::find(voters, o.first) == voters.end(); });
    return out;
}

std::vector<VotedParam> pool_llms(const std::vector<VotedParam>& params, const std::string& pooled) {
    std::set<std::string> llms;
    for (const auto& p : params)
        for (const auto& [voter, o] : p.opinions)
            if (voter != "rules") llms.insert(voter);
    std::vector<VotedParam> out;
    for (const auto& p : params)
        for (const auto& llm : llms) {
            VotedParam copy{p.group, p.misconfigured, {}, p.item, p.key};
            for (const auto& [voter, o] : p.opinions)
                if (voter == "rules" || voter == llm) copy.opinions.emplace_back(voter == llm ? pooled : voter, o);
            out.push_back(std::move(copy));
        }
    return out;
}

ParamScores leave_one_group_out(const std::vector<VotedParam>& params, const CalibrateOptions& options) {
    std::set<std::string> groups;
    for (const auto& p : params) groups.insert(p.group);
    std::map<std::string, Weights> weights;
    for (const auto& g : groups) {
        std::vector<VotedParam> train;
        for (const auto& p : params)
            if (p.group != g) train.push_back(p);
        weights[g] = calibrate_supervised(train, options);
    }
    return score_params(params, [&](const VotedParam& p) {
        const Weights& w = weights.at(p.group);
        return reported(p, w, w.threshold);
    });
}

}  // namespace ciri
