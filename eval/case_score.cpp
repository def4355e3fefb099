#include "eval/case_score.hpp"

#include <algorithm>
#include <cstdio>

#include "ciri/rules/check.hpp"
#include "ciri/rules/facts.hpp"
#include "ciri/rules/job.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/load.hpp"

namespace ciri {

void CaseTally::add(const CaseTally& o) {
    cases += o.cases, right_param += o.right_param, twins += o.twins, twins_flagged += o.twins_flagged;
    files += o.files, detected += o.detected, load_errors += o.load_errors;
    missed.insert(missed.end(), o.missed.begin(), o.missed.end());
    flagged.insert(flagged.end(), o.flagged.begin(), o.flagged.end());
    undetected.insert(undetected.end(), o.undetected.begin(), o.undetected.end());
}

std::map<std::string, CaseTally> score_cases(const Dataset& dataset) {
    std::map<std::string, CaseTally> out;
    std::map<std::string, SpecSet> specs;
    for (const auto& item : dataset.items) {
        CaseTally& t = out[item.system];
        ++t.files;
        // Detection from the file alone: no --system, no version.
        auto alone = load_config(item.path.string(), LoadOptions{});
        if (alone && alone->system == item.system) ++t.detected;
        else t.undetected.push_back(item.id + " (as '" + (alone ? alone->system : std::string("error")) + "')");

        bool bad = item.label == Label::misconfigured;
        (bad ? t.cases : t.twins) += 1;
        LoadOptions opts;
        opts.system = item.system;
        opts.version = item.version;
        auto file = load_config(item.path.string(), opts);
        if (!specs.contains(item.system)) {
            auto s = load_spec_set(item.system);
            specs.emplace(item.system, s ? std::move(*s) : SpecSet{});
        }
        auto facts = resolve_facts(item.context, default_spec_dir());
        if (!file || !facts) {
            ++t.load_errors;
            if (bad) t.missed.push_back(item.id + " (load error)");
            continue;
        }
        RulesOptions ro;
        ro.facts = &*facts;
        RulesVerdict v = check_file_alone(*file, specs.at(item.system), ro);
        if (bad) {
            bool hit = std::any_of(v.findings.begin(), v.findings.end(), [&](const RuleFinding& f) {
                return std::find(item.params.begin(), item.params.end(), f.param) != item.params.end();
            });
            if (hit) ++t.right_param;
            else t.missed.push_back(item.id);
        } else if (!v.findings.empty()) {
            ++t.twins_flagged;
            std::string params;
            for (const auto& f : v.findings) params += (params.empty() ? "" : ", ") + f.param;
            t.flagged.push_back(item.id + " (" + params + ")");
        }
    }
    return out;
}

std::string format_case_scores(const std::map<std::string, CaseTally>& scores) {
    auto pct = [](int a, int b) { return b == 0 ? 0.0 : 100.0 * a / b; };
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "%-12s %6s %12s %6s %14s %6s %14s\n", "system", "cases", "right param", "twins",
                  "twins flagged", "files", "detected alone");
    out += line;
    CaseTally total;
    auto row = [&](const std::string& name, const CaseTally& t) {
        std::snprintf(line, sizeof line, "%-12s %6d %11.1f%% %6d %13.1f%% %6d %13.1f%%\n", name.c_str(), t.cases,
                      pct(t.right_param, t.cases), t.twins, pct(t.twins_flagged, t.twins), t.files,
                      pct(t.detected, t.files));
        out += line;
    };
    for (const auto& [system, t] : scores) {
        row(system, t);
        total.add(t);
    }
    row("total", total);
    return out;
}

}  // namespace ciri
