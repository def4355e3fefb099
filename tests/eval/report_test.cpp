#include "eval/report.hpp"

#include <catch2/catch.hpp>

#include "eval/results.hpp"

using namespace ciri;

namespace {

nlohmann::json sample_results(double cost) {
    std::vector<Prediction> ps;
    for (int i = 0; i < 4; ++i) {
        Prediction p;
        p.id = "s" + std::to_string(i % 2) + "/" + std::to_string(i);
        p.system = "s" + std::to_string(i % 2);
        p.label = i < 2 ? Label::misconfigured : Label::valid;
        if (i < 2) p.truth = {"x"}, p.category = "Range", p.subcategory = "Port";
        p.reported = i == 0 || i == 3 ? std::vector<std::string>{"x"} : std::vector<std::string>{};
        p.verdict = p.reported.empty() ? VerdictStatus::valid : VerdictStatus::misconfigured;
        p.members = {{"recorded/m1@a.jsonl", p.verdict, p.reported}, {"recorded/m2@a.jsonl", VerdictStatus::valid, {}}};
        p.cost_usd = cost;
        p.requests = 1;
        ps.push_back(p);
    }
    return build_results(ps, {{"name", "param vote: m1 + m2 <&>"}, {"models", {"m1", "m2"}}, {"vote", "param"}});
}

}  // namespace

TEST_CASE("the markdown report has Table V and Table IX style tables", "[report]") {
    const std::string md = render_markdown(sample_results(0));
    CHECK(md.find("## Parameter-level F1 per system") != std::string::npos);
    CHECK(md.find("| setup | s0 | s1 | macro |") != std::string::npos);
    // Setup row, then one row per member (short names).
    CHECK(md.find("| param vote: m1 + m2 <&> | 1.000 | 0.000 | 0.500 |") != std::string::npos);
    CHECK(md.find("| m2 | 0.000 | 0.000 | 0.000 |") != std::string::npos);
    CHECK(md.find("| Range / Port | 2 | 50.0% |") != std::string::npos);
    CHECK(md.find("hallucination rate") != std::string::npos);
    // Detection and false alarms (valid files flagged) per system.
    CHECK(md.find("| system | misconfigured | detected | valid | flagged (false alarms) |") != std::string::npos);
    CHECK(md.find("| s0 | 1 | 100.0% | 1 | 0.0% |") != std::string::npos);
    CHECK(md.find("| s1 | 1 | 0.0% | 1 | 100.0% |") != std::string::npos);
}

TEST_CASE("the HTML report is one self-contained file with SVG charts", "[report]") {
    const std::string html = render_html(sample_results(0.02));
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("</html>") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // no external resource
    CHECK(html.find("https://") == std::string::npos);
    size_t charts = 0;
    for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++charts;
    CHECK(charts == 4);  // F1 (param, file), precision/recall, cost
    CHECK(html.find("m1 + m2 &lt;&amp;&gt;") != std::string::npos);  // escaped
    CHECK(render_html(sample_results(0)).find("nothing was billed") != std::string::npos);
}
