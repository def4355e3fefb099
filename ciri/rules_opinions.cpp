#include "ciri/rules_opinions.hpp"

#include "ciri/rules/infer.hpp"

namespace ciri {

VoterOpinions rules_opinions(const ConfigFile& file, const SpecSet& spec, const RulesVerdict& verdict,
                             double weight, const RulesOptions& options) {
    VoterOpinions v;
    v.name = "rules";
    v.weight = weight;
    v.answered = true;
    v.valid = 1;
    for (const auto& p : file.params) {
        if (v.params.contains(p.key)) continue;
        // A passed check is evidence only when its failure would have been reported.
        auto e = expect(p, spec, file.format);
        if (e && e->confidence >= options.min_confidence)
            v.params[p.key] = {Stance::ok, 0.0, "", "", p.line, p.value};
    }
    for (const auto& f : verdict.findings) v.params[f.param] = {Stance::wrong, 1.0, f.category, f.reason, f.line, f.value};
    return v;
}

VoterOpinions opinions_within(const VoterOpinions& voter, const ConfigFile& scope) {
    VoterOpinions v = voter;
    v.params.clear();
    for (const auto& p : scope.params)
        if (auto it = voter.params.find(p.key); it != voter.params.end()) v.params.insert(*it);
    return v;
}

}  // namespace ciri
