#include "eval/results.hpp"

#include "eval/bootstrap.hpp"
#include "eval/detected.hpp"
#include "eval/strf.hpp"

#include <cmath>
#include <fstream>
#include <set>

namespace ciri {

using nlohmann::json;

namespace {

// Four decimals: enough to compare with the paper's three, small enough to read.
double r4(double v) { return std::round(v * 10000.0) / 10000.0; }

json rates_json(const Rates& r) {
    return {{"precision", r4(r.precision)}, {"recall", r4(r.recall)}, {"f1", r4(r.f1)}, {"accuracy", r4(r.accuracy)}};
}

json level_json(const LevelScores& l) {
    json j = rates_json(l.rates);
    j["tp"] = l.counts.tp;
    j["fp"] = l.counts.fp;
    j["fn"] = l.counts.fn;
    j["tn"] = l.counts.tn;
    return j;
}

json categories_json(const std::map<std::string, CategoryScores>& table) {
    json j = json::object();
    for (const auto& [name, c] : table) j[name] = {{"items", c.items}, {"file", level_json(c.file)}, {"param", level_json(c.param)}};
    return j;
}

double num(const json& j, std::initializer_list<const char*> path) {
    const json* p = &j;
    for (const char* k : path) {
        if (!p->is_object() || !p->contains(k)) return std::nan("");
        p = &(*p)[k];
    }
    return p->is_number() ? p->get<double>() : std::nan("");
}

std::string cell(double v) { return std::isnan(v) ? "-" : strf("%.3f", v); }

std::string delta(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return "-";
    return strf("%+.3f", b - a);
}

}  // namespace

json scores_to_json(const Scores& s) {
    json systems = json::object();
    for (const auto& [name, sys] : s.systems)
        systems[name] = {{"items", sys.items}, {"file", level_json(sys.file)}, {"param", level_json(sys.param)},
                         {"cost_usd", sys.cost_usd}};
    return {
        {"items", s.items},
        {"inconclusive", s.inconclusive},
        {"errors", s.errors},
        {"systems", systems},
        {"macro", {{"file", rates_json(s.macro_file)}, {"param", rates_json(s.macro_param)}}},
        {"categories", categories_json(s.categories)},
        {"subcategories", categories_json(s.subcategories)},
        {"answers",
         {{"total", s.answers},
          {"invalid", s.invalid_answers},
          {"invalid_rate", r4(s.invalid_rate)},
          {"reported", s.reported_raw},
          {"hallucinated", s.hallucinated},
          {"hallucination_rate", r4(s.hallucination_rate)}}},
        {"usage",
         {{"requests", s.requests},
          {"prompt_tokens", s.prompt_tokens},
          {"completion_tokens", s.completion_tokens},
          {"cached_tokens", s.cached_tokens},
          {"cost_usd", s.cost_usd},
          {"cost_complete", s.cost_complete}}},
        {"latency_ms", {{"p50", s.latency_p50_ms}, {"p95", s.latency_p95_ms}}},
    };
}

json build_results(const std::vector<Prediction>& predictions, const json& setup) {
    json j = scores_to_json(score(predictions));
    j["setup"] = setup;
    json members = json::object();
    const auto names = member_names(predictions);
    // A lone member is the setup itself; repeating it would add nothing.
    if (names.size() > 1)
        for (const auto& name : names) {
            json m = scores_to_json(score_member(predictions, name));
            for (const char* usage_key : {"answers", "usage", "latency_ms"}) m.erase(usage_key);
            members[name] = std::move(m);
        }
    j["members"] = std::move(members);
    // Every item without a verdict, with its reason: an inconclusive misconfigured item is
    // scored as a false negative, an inconclusive valid one is counted apart (no true negative).
    json unresolved = json::array();
    long errored = 0, inconclusive_misconfigured = 0, inconclusive_valid = 0;
    for (const auto& p : predictions) {
        if (p.error.empty() && p.verdict != VerdictStatus::inconclusive) continue;
        if (!p.error.empty()) ++errored;
        else if (p.label == Label::misconfigured) ++inconclusive_misconfigured;
        else ++inconclusive_valid;
        unresolved.push_back({{"id", p.id},
                              {"system", p.system},
                              {"label", p.label == Label::misconfigured ? "misconfigured" : "valid"},
                              {"verdict", to_string(p.verdict)},
                              {"reason", p.error.empty() ? "no verdict reached" : p.error}});
    }
    j["unresolved"] = std::move(unresolved);
    j["detected"] = detected_to_json(count_detected(predictions));
    MacroIntervals ci = bootstrap_macro_f1(predictions);
    j["macro_f1_95"] = {{"param", {r4(ci.param.low), r4(ci.param.high)}}, {"file", {r4(ci.file.low), r4(ci.file.high)}},
                        {"method", "percentile bootstrap over items within each system, 1000 resamples"}};
    j["unresolved_counts"] = {{"errored", errored},
                              {"inconclusive_misconfigured", inconclusive_misconfigured},
                              {"inconclusive_valid", inconclusive_valid}};
    return j;
}

Expected<json> read_results(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return std::unexpected(Error{"cannot read", 0, path.string()});
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("systems") || !j.contains("macro"))
        return std::unexpected(Error{"not a results.json (needs \"systems\" and \"macro\")", 0, path.string()});
    return j;
}

std::string compare_results(const json& a, const json& b, const std::string& name_a, const std::string& name_b) {
    std::string out;
    out += "A: " + name_a + "\nB: " + name_b + "\n\n";
    out += strf("%-26s %8s %8s %8s\n", "", "A", "B", "B-A");
    auto row = [&](const std::string& label, double va, double vb) {
        out += strf("%-26s %8s %8s %8s\n", label.c_str(), cell(va).c_str(), cell(vb).c_str(), delta(va, vb).c_str());
    };
    for (const char* level : {"param", "file"})
        for (const char* metric : {"f1", "precision", "recall", "accuracy"})
            row(strf("macro %s %s", level, metric), num(a, {"macro", level, metric}), num(b, {"macro", level, metric}));
    std::set<std::string> systems;
    for (const json* j : {&a, &b})
        for (const auto& [name, v] : (*j)["systems"].items()) systems.insert(name);
    out += "\nper system (F1)\n";
    for (const auto& s : systems) {
        const bool in_a = a["systems"].contains(s), in_b = b["systems"].contains(s);
        if (!in_a || !in_b) {
            out += strf("%-26s only in %s\n", s.c_str(), in_a ? "A" : "B");
            continue;
        }
        for (const char* level : {"param", "file"})
            row(s + " " + level, num(a, {"systems", s.c_str(), level, "f1"}),
                num(b, {"systems", s.c_str(), level, "f1"}));
    }
    out += "\nrates and cost\n";
    row("invalid-answer rate", num(a, {"answers", "invalid_rate"}), num(b, {"answers", "invalid_rate"}));
    row("hallucination rate", num(a, {"answers", "hallucination_rate"}), num(b, {"answers", "hallucination_rate"}));
    row("cost (USD)", num(a, {"usage", "cost_usd"}), num(b, {"usage", "cost_usd"}));
    row("requests", num(a, {"usage", "requests"}), num(b, {"usage", "requests"}));
    row("latency p95 (ms)", num(a, {"latency_ms", "p95"}), num(b, {"latency_ms", "p95"}));
    return out;
}

}  // namespace ciri
