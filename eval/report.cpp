#include "eval/report.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "eval/detected.hpp"
#include "eval/predictor.hpp"
#include "eval/strf.hpp"

namespace ciri {

using nlohmann::json;

namespace {

// One column of the comparison tables: the run's setup, or one member scored alone.
struct Setup {
    std::string name;
    const json* scores;
};

std::vector<Setup> setups_of(const json& r) {
    std::vector<Setup> out;
    std::string name = r.contains("setup") && r["setup"].contains("name") ? r["setup"]["name"].get<std::string>() : "setup";
    out.push_back({name, &r});
    if (r.contains("members"))
        for (const auto& [member, scores] : r["members"].items()) out.push_back({short_model_name(member), &scores});
    return out;
}

std::vector<std::string> systems_of(const json& r) {
    std::vector<std::string> out;
    for (const auto& [name, v] : r["systems"].items()) out.push_back(name);
    return out;
}

double get(const json& j, std::initializer_list<std::string> path) {
    const json* p = &j;
    for (const auto& k : path) {
        if (!p->is_object() || !p->contains(k)) return std::nan("");
        p = &(*p)[k];
    }
    return p->is_number() ? p->get<double>() : std::nan("");
}

std::string f3(double v) { return std::isnan(v) ? "-" : strf("%.3f", v); }
std::string pct(double v) { return std::isnan(v) ? "-" : strf("%.1f%%", 100 * v); }

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

// A table as header + rows of cells; rendered to Markdown or HTML.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

std::string to_md(const Table& t) {
    std::string out = "|";
    for (const auto& h : t.header) out += " " + md_cell(h) + " |";
    out += "\n|";
    for (size_t i = 0; i < t.header.size(); ++i) out += i == 0 ? " --- |" : " ---: |";
    out += "\n";
    for (const auto& row : t.rows) {
        out += "|";
        for (const auto& c : row) out += " " + md_cell(c) + " |";
        out += "\n";
    }
    return out;
}

std::string to_html(const Table& t) {
    std::string out = "<table><thead><tr>";
    for (const auto& h : t.header) out += "<th>" + esc(h) + "</th>";
    out += "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
        out += "<tr>";
        for (size_t i = 0; i < row.size(); ++i) out += (i == 0 ? "<td>" : "<td class=n>") + esc(row[i]) + "</td>";
        out += "</tr>";
    }
    return out + "</tbody></table>\n";
}

Table f1_table(const json& r, const std::string& level) {
    Table t;
    t.header.push_back("setup");
    const auto systems = systems_of(r);
    for (const auto& s : systems) t.header.push_back(s);
    t.header.push_back("macro");
    for (const auto& setup : setups_of(r)) {
        std::vector<std::string> row{setup.name};
        for (const auto& s : systems) row.push_back(f3(get(*setup.scores, {"systems", s, level, "f1"})));
        row.push_back(f3(get(*setup.scores, {"macro", level, "f1"})));
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table detail_table(const json& r) {
    Table t{{"system", "files", "file P", "file R", "file F1", "file acc", "param P", "param R", "param F1", "param acc"}, {}};
    auto add = [&](const std::string& label, const std::string& items, const json& level_parent) {
        std::vector<std::string> row{label, items};
        for (const char* level : {"file", "param"})
            for (const char* m : {"precision", "recall", "f1", "accuracy"}) row.push_back(f3(get(level_parent, {level, m})));
        t.rows.push_back(std::move(row));
    };
    for (const auto& s : systems_of(r))
        add(s, std::to_string(r["systems"][s].value("items", 0)), r["systems"][s]);
    add("macro", "", r["macro"]);
    return t;
}

// Per system: misconfigured files detected, and valid files (fixed twins, in our case sets)
// flagged, the false-alarm rate.
Table alarm_table(const json& r) {
    Table t{{"system", "misconfigured", "detected", "valid", "flagged (false alarms)"}, {}};
    for (const auto& s : systems_of(r)) {
        const json& sys = r["systems"][s];
        double tp = get(sys, {"file", "tp"}), fn = get(sys, {"file", "fn"});
        double fp = get(sys, {"file", "fp"}), tn = get(sys, {"file", "tn"});
        if (std::isnan(tp) || std::isnan(fp)) continue;
        t.rows.push_back({s, strf("%.0f", tp + fn), pct(tp + fn > 0 ? tp / (tp + fn) : std::nan("")), strf("%.0f", fp + tn),
                          pct(fp + tn > 0 ? fp / (fp + tn) : std::nan(""))});
    }
    return t;
}

Table category_table(const json& r, const char* key) {
    const auto setups = setups_of(r);
    Table t;
    t.header = {key == std::string("categories") ? "category" : "category / subcategory", "items", "detected (file)",
                "params found", "param P"};
    for (size_t i = 1; i < setups.size(); ++i) t.header.push_back(setups[i].name);
    if (!r.contains(key)) return t;
    for (const auto& [name, c] : r[key].items()) {
        std::vector<std::string> row{name, std::to_string(c.value("items", 0)), pct(get(c, {"file", "recall"})),
                                     pct(get(c, {"param", "recall"})), f3(get(c, {"param", "precision"}))};
        for (size_t i = 1; i < setups.size(); ++i) row.push_back(pct(get(*setups[i].scores, {key, name, "param", "recall"})));
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table usage_table(const json& r) {
    const json& a = r.value("answers", json::object());
    const json& u = r.value("usage", json::object());
    Table t{{"measure", "value"}, {}};
    t.rows.push_back({"items", std::to_string(r.value("items", 0))});
    t.rows.push_back({"inconclusive", std::to_string(r.value("inconclusive", 0))});
    t.rows.push_back({"errors", std::to_string(r.value("errors", 0))});
    t.rows.push_back({"answers", std::to_string(a.value("total", 0))});
    t.rows.push_back({"invalid-answer rate", pct(get(a, {"invalid_rate"}))});
    t.rows.push_back({"hallucination rate", pct(get(a, {"hallucination_rate"}))});
    t.rows.push_back({"requests", std::to_string(u.value("requests", 0))});
    t.rows.push_back({"prompt tokens (cached)", strf("%ld (%ld)", u.value("prompt_tokens", 0L), u.value("cached_tokens", 0L))});
    t.rows.push_back({"completion tokens", std::to_string(u.value("completion_tokens", 0L))});
    t.rows.push_back({"estimated cost", strf("$%.4f%s", u.value("cost_usd", 0.0), u.value("cost_complete", true) ? "" : " (some prices unknown)")});
    const bool timed = u.value("requests", 0L) > 0;
    t.rows.push_back({"latency p50 / p95",
                      timed ? strf("%.0f / %.0f ms", get(r, {"latency_ms", "p50"}), get(r, {"latency_ms", "p95"}))
                            : std::string("- (no request sent)")});
    return t;
}

std::string setup_lines(const json& r, bool html) {
    std::string out;
    if (!r.contains("setup")) return out;
    const json& s = r["setup"];
    auto line = [&](const std::string& k, const std::string& v) {
        out += html ? "<li><b>" + esc(k) + "</b>: " + esc(v) + "</li>" : "- **" + k + "**: " + v + "\n";
    };
    line("setup", s.value("name", ""));
    if (s.contains("models")) {
        std::string m;
        for (const auto& x : s["models"]) m += (m.empty() ? "" : ", ") + x.get<std::string>();
        line("models", m);
    }
    line("vote", s.value("vote", ""));
    if (s.contains("calibrated_beside"))
        line("calibrated log-odds vote (a member)", "weights: " + s["calibrated_beside"].get<std::string>());
    if (s.contains("threshold") && s["threshold"].is_number()) line("threshold", strf("%g", s["threshold"].get<double>()));
    if (s.value("recorded_final", false)) line("answers", "recorded Final result of each model");
    if (s.contains("dataset")) line("dataset", s["dataset"].get<std::string>());
    if (s.contains("labels")) line("labels", s["labels"].get<std::string>());
    return html ? "<ul>" + out + "</ul>\n" : out;
}

// ---- SVG ------------------------------------------------------------------------------------

const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

struct Series {
    std::string name;
    std::vector<double> values;  // one per group; NaN = no bar
};

// A grouped bar chart: one group per label, one bar per series, y from 0 to `ymax`.
std::string bar_chart(const std::string& title, const std::vector<std::string>& groups, const std::vector<Series>& series,
                      double ymax, const char* value_format) {
    const int width = 1100, left = 50, right = 10, top = 30, plot_h = 240, label_h = 40;
    const int legend_rows = static_cast<int>((series.size() + 2) / 3);
    const int height = top + plot_h + label_h + 18 * legend_rows + 10;
    const double group_w = static_cast<double>(width - left - right) / std::max<size_t>(groups.size(), 1);
    const double bar_w = std::min(28.0, group_w * 0.8 / std::max<size_t>(series.size(), 1));
    std::string svg = strf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                           "role=\"img\" font-family=\"sans-serif\" font-size=\"11\">",
                           width, height, width, height);
    svg += "<title>" + esc(title) + "</title>";
    const std::string shown = title.size() > 110 ? title.substr(0, 107) + "..." : title;
    svg += strf("<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>", left, esc(shown).c_str());
    for (int i = 0; i <= 4; ++i) {
        const double v = ymax * i / 4;
        const double y = top + plot_h - plot_h * i / 4.0;
        svg += strf("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, y, width - right, y);
        svg += strf("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>", left - 4, y + 4,
                    strf(value_format, v).c_str());
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        const double gx = left + group_w * g;
        const double start = gx + (group_w - bar_w * series.size()) / 2;
        for (size_t s = 0; s < series.size(); ++s) {
            const double v = g < series[s].values.size() ? series[s].values[g] : std::nan("");
            if (std::isnan(v)) continue;
            const double h = ymax > 0 ? plot_h * std::clamp(v / ymax, 0.0, 1.0) : 0;
            svg += strf("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s</title></rect>",
                        start + bar_w * s, top + plot_h - h, bar_w - 1, h, kPalette[s % 10], esc(series[s].name).c_str(),
                        esc(groups[g]).c_str(), strf(value_format, v).c_str());
        }
        svg += strf("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", gx + group_w / 2, top + plot_h + 16,
                    esc(groups[g]).c_str());
    }
    svg += strf("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, top + plot_h, width - right, top + plot_h);
    for (size_t s = 0; s < series.size(); ++s) {
        const double lx = left + 350.0 * (s % 3);
        const double ly = top + plot_h + label_h + 18.0 * (s / 3);
        svg += strf("<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, ly - 10, kPalette[s % 10]);
        std::string name = series[s].name.size() > 52 ? series[s].name.substr(0, 50) + "..." : series[s].name;
        svg += strf("<text x=\"%.1f\" y=\"%.1f\">%s</text>", lx + 16, ly, esc(name).c_str());
    }
    return svg + "</svg>\n";
}

std::string f1_chart(const json& r, const std::string& level, const std::string& title) {
    auto groups = systems_of(r);
    groups.push_back("macro");
    std::vector<Series> series;
    for (const auto& setup : setups_of(r)) {
        Series s{setup.name, {}};
        for (size_t i = 0; i + 1 < groups.size(); ++i) s.values.push_back(get(*setup.scores, {"systems", groups[i], level, "f1"}));
        s.values.push_back(get(*setup.scores, {"macro", level, "f1"}));
        series.push_back(std::move(s));
    }
    return bar_chart(title, groups, series, 1.0, "%.2f");
}

std::string pr_chart(const json& r) {
    auto groups = systems_of(r);
    groups.push_back("macro");
    std::vector<Series> series;
    for (const char* level : {"param", "file"})
        for (const char* m : {"precision", "recall"}) {
            Series s{std::string(level) + " " + m, {}};
            for (size_t i = 0; i + 1 < groups.size(); ++i) s.values.push_back(get(r, {"systems", groups[i], level, m}));
            s.values.push_back(get(r, {"macro", level, m}));
            series.push_back(std::move(s));
        }
    return bar_chart("Precision and recall per system (" + setups_of(r)[0].name + ")", groups, series, 1.0, "%.2f");
}

std::string cost_chart(const json& r) {
    const auto groups = systems_of(r);
    Series s{"estimated cost (USD)", {}};
    double most = 0;
    for (const auto& g : groups) {
        s.values.push_back(get(r, {"systems", g, "cost_usd"}));
        if (!std::isnan(s.values.back())) most = std::max(most, s.values.back());
    }
    if (most <= 0)
        return "<p class=note>Cost per system: nothing was billed in this run (recorded answers, a local model or "
               "cached answers).</p>\n";
    // Round the axis up to 1, 2 or 5 times a power of ten.
    double step = std::pow(10.0, std::floor(std::log10(most)));
    double ymax = step;
    for (double k : {1.0, 2.0, 5.0, 10.0})
        if (k * step >= most) {
            ymax = k * step;
            break;
        }
    return bar_chart("Estimated cost per system (USD)", groups, {s}, ymax, "$%.3g");
}

// The items without a verdict, each with its reason; old results.json files have none.
std::string unresolved_markdown(const json& r) {
    if (!r.contains("unresolved")) return "";
    const json& c = r["unresolved_counts"];
    std::string out = strf("\n## Items without a verdict\n\n%ld errored, %ld inconclusive labeled misconfigured "
                           "(scored as false negatives), %ld inconclusive labeled valid (counted apart: no true "
                           "negative).\n",
                           c.value("errored", 0L), c.value("inconclusive_misconfigured", 0L),
                           c.value("inconclusive_valid", 0L));
    if (r["unresolved"].empty()) return out;
    Table t;
    t.header = {"item", "system", "label", "verdict", "reason"};
    for (const auto& u : r["unresolved"])
        t.rows.push_back({u.value("id", ""), u.value("system", ""), u.value("label", ""), u.value("verdict", ""),
                          u.value("reason", "")});
    return out + "\n" + to_md(t);
}

}  // namespace

std::string render_markdown(const json& r) {
    std::string out = "# ciri eval report\n\n" + setup_lines(r, false);
    out += "\n## Parameter-level F1 per system (as the paper's Table V)\n\n" + to_md(f1_table(r, "param"));
    if (r.contains("macro_f1_95"))
        out += strf("\nMacro F1, 95%% bootstrap interval: parameter [%.3f, %.3f], file [%.3f, %.3f].\n",
                    r["macro_f1_95"]["param"][0].get<double>(), r["macro_f1_95"]["param"][1].get<double>(),
                    r["macro_f1_95"]["file"][0].get<double>(), r["macro_f1_95"]["file"][1].get<double>());
    out += "\n## File-level F1 per system\n\n" + to_md(f1_table(r, "file"));
    out += "\n## Precision, recall and accuracy per system\n\n" + to_md(detail_table(r));
    out += "\n## Detection and false alarms per system\n\n" + to_md(alarm_table(r));
    out += "\n## Detection by misconfiguration type (as the paper's Table IX)\n\n";
    out += "\"detected\": misconfigured files flagged; \"found\" and the model columns: injected parameters "
           "reported.\n\n";
    out += to_md(category_table(r, "categories")) + "\n" + to_md(category_table(r, "subcategories"));
    out += "\n## Answers, usage and cost\n\n" + to_md(usage_table(r));
    out += detected_markdown(r);
    out += unresolved_markdown(r);
    return out;
}

std::string render_html(const json& r) {
    std::string out = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ciri eval report</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1140px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#fafafa}.note{color:#555;font-size:13px}svg{display:block;margin:8px 0}
</style></head><body>
<h1>ciri eval report</h1>
)";
    out += setup_lines(r, true);
    out += "<h2>F1 per system</h2>\n";
    out += f1_chart(r, "param", "Parameter-level F1 per system and setup");
    out += f1_chart(r, "file", "File-level F1 per system and setup");
    out += "<h2>Parameter-level F1 (as the paper's Table V)</h2>\n" + to_html(f1_table(r, "param"));
    out += "<h2>File-level F1</h2>\n" + to_html(f1_table(r, "file"));
    out += "<h2>Precision and recall</h2>\n" + pr_chart(r) + to_html(detail_table(r));
    out += "<h2>Detection and false alarms per system</h2>\n" + to_html(alarm_table(r));
    out += "<h2>Detection by misconfiguration type (as the paper's Table IX)</h2>\n"
           "<p class=note>detected: misconfigured files flagged; found and the model columns: injected parameters "
           "reported.</p>\n";
    out += to_html(category_table(r, "categories")) + to_html(category_table(r, "subcategories"));
    out += "<h2>Answers, usage and cost</h2>\n" + cost_chart(r) + to_html(usage_table(r));
    return out + "</body></html>\n";
}

}  // namespace ciri
