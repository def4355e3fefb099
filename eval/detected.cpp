#include "eval/detected.hpp"

#include <algorithm>

#include "eval/strf.hpp"

namespace ciri {

using nlohmann::json;

DetectedCases count_detected(const std::vector<Prediction>& predictions) {
    DetectedCases d;
    for (const auto& p : predictions) {
        if (p.label != Label::misconfigured) continue;
        const bool hit = std::ranges::any_of(
            p.reported, [&](const std::string& r) { return std::ranges::find(p.truth, r) != p.truth.end(); });
        for (DetectedTally* t : {&d.systems[p.system], &d.total}) {
            ++t->cases;
            if (hit) ++t->detected;
            else t->missed.push_back(p.id);
        }
    }
    return d;
}

json detected_to_json(const DetectedCases& d) {
    json systems = json::object();
    for (const auto& [name, t] : d.systems)
        systems[name] = {{"cases", t.cases}, {"detected", t.detected}, {"missed", t.missed}};
    return {{"systems", systems}, {"total", {{"cases", d.total.cases}, {"detected", d.total.detected}}}};
}

std::string detected_markdown(const json& r) {
    if (!r.contains("detected")) return "";
    const json& d = r["detected"];
    std::string out = "\n## Cases detected\n\nA misconfigured item is detected when a reported parameter is one of "
                      "its labeled ones.\n\n| system | cases | detected | missed |\n| --- | --- | --- | --- |\n";
    for (const auto& [name, t] : d["systems"].items()) {
        // A long list would bury the table; results.json holds all of them.
        std::string missed;
        const size_t shown = std::min<size_t>(t["missed"].size(), 10);
        for (size_t i = 0; i < shown; ++i) missed += (i ? ", " : "") + t["missed"][i].get<std::string>();
        if (t["missed"].size() > shown) missed += strf(" and %zu more", t["missed"].size() - shown);
        out += strf("| %s | %ld | %ld | %s |\n", name.c_str(), t.value("cases", 0L), t.value("detected", 0L),
                    missed.c_str());
    }
    out += strf("| total | %ld | %ld | |\n", d["total"].value("cases", 0L), d["total"].value("detected", 0L));
    return out;
}

std::string detected_summary(const json& r) {
    if (!r.contains("detected") || r["detected"]["total"].value("cases", 0L) == 0) return "";
    const json& d = r["detected"];
    std::string per;
    for (const auto& [name, t] : d["systems"].items())
        per += strf("%s%s %ld/%ld", per.empty() ? "" : ", ", name.c_str(), t.value("detected", 0L), t.value("cases", 0L));
    return strf("detected: %ld of %ld cases (%s)\n", d["total"].value("detected", 0L), d["total"].value("cases", 0L),
                per.c_str());
}

}  // namespace ciri
