#include "aggregator/opinion.hpp"

#include <algorithm>
#include <set>

namespace ciri {

const char* to_string(Stance stance) {
    switch (stance) {
        case Stance::abstain:
            return "abstain";
        case Stance::ok:
            return "ok";
        case Stance::wrong:
            return "wrong";
    }
    return "abstain";
}

const Opinion& VoterOpinions::on(const std::string& key) const {
    static const Opinion none;
    auto it = params.find(key);
    return it == params.end() ? none : it->second;
}

VoterOpinions llm_opinions(const std::string& name, double weight, const std::vector<GroundedAnswer>& answers,
                           int invalid, const ConfigFile* scope) {
    VoterOpinions v;
    v.name = name;
    v.weight = weight;
    v.answers = answers;
    v.valid = static_cast<int>(answers.size());
    v.invalid = invalid;
    v.answered = !answers.empty();
    if (!v.answered) return v;
    // Having read the whole scope, the LLM vouches for every parameter it did not name.
    if (scope)
        for (const auto& p : scope->params) {
            Opinion& o = v.params[p.key];
            if (o.line == 0) o.stance = Stance::ok, o.line = p.line, o.value = p.value;
        }
    const double per_sample = 1.0 / static_cast<double>(answers.size());
    for (const auto& g : answers) {
        std::set<std::string> seen;  // a sample naming a parameter twice still counts once
        for (size_t i = 0; i < g.answer.params.size(); ++i) {
            const std::string& key = g.answer.params[i];
            if (!seen.insert(key).second) continue;
            Opinion& o = v.params[key];
            o.stance = Stance::wrong;
            o.share += per_sample;
            if (o.reason.empty() && i < g.answer.reasons.size()) o.reason = g.answer.reasons[i];
            if (i < g.matched.size() && g.matched[i].line > 0 && o.line == 0) {
                o.line = g.matched[i].line;
                o.value = g.matched[i].value;
            }
        }
    }
    for (auto& [key, o] : v.params) o.share = std::min(o.share, 1.0);
    return v;
}

}  // namespace ciri
