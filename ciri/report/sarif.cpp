// SARIF 2.1.0 with the fields GitHub code scanning requires: tool.driver.name and rules,
// results with ruleId, level, message.text and a physical location with a start line.
#include <nlohmann/json.hpp>
#include <ostream>

#include "ciri/report/reporter.hpp"
#include "ciri/report/rule_ids.hpp"

namespace ciri {

namespace {

// Every rule once, in report_rules() order, so ruleIndex is a position in this array.
nlohmann::json rules_json() {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& r : report_rules())
        rules.push_back({{"id", r.id},
                         {"name", r.name},
                         {"shortDescription", {{"text", r.brief}}},
                         {"fullDescription", {{"text", r.full}}},
                         {"help", {{"text", r.help}}},
                         {"defaultConfiguration", {{"level", r.level}}}});
    return rules;
}

// SARIF wants a URI reference relative to the repository root, '/'-separated.
std::string uri_of(const std::string& path) {
    std::string uri = path;
    while (uri.starts_with("./")) uri.erase(0, 2);
    std::string out;
    for (char c : uri) {
        if (c == ' ') out += "%20";
        else if (c == '%') out += "%25";
        else out += c;
    }
    return out;
}

nlohmann::json result(const RuleInfo& rule, const std::string& message, const std::string& path, int line) {
    return {{"ruleId", rule.id},
            {"ruleIndex", rule_index(rule)},
            {"level", rule.level},
            {"message", {{"text", message}}},
            {"locations",
             nlohmann::json::array({{{"physicalLocation",
                                      {{"artifactLocation", {{"uri", uri_of(path)}, {"uriBaseId", "%SRCROOT%"}}},
                                       {"region", {{"startLine", std::max(line, 1)}}}}}}})}};
}

}  // namespace

void render_sarif(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& file : report.files) {
        if (file.verdict == Outcome::error) {
            results.push_back(result(input_error_rule(), file.error, file.path, file.error_line));
            continue;
        }
        if (file.verdict == Outcome::inconclusive && options.min_severity != "error")
            results.push_back(result(inconclusive_rule(), "no verdict could be reached for this file", file.path, 1));
        for (const auto& f : file.findings) {
            std::string msg = f.parameter + " = " + shown_value(f, options) + ": " + shown_reason(f, file, options);
            if (auto note = vote_note(f); !note.empty()) msg += " [" + note + "]";
            if (f.kind == "syntax") msg = (f.parameter.empty() ? "" : f.parameter + ": ") + f.reason + ": " + f.value;
            auto r = result(rule_for(f), msg, file.path, f.line);
            r["partialFingerprints"] = {{"ciri/parameter", file.path + ":" + f.parameter}};
            if (!f.suppressed.empty())
                r["suppressions"] = nlohmann::json::array({{{"kind", "inSource"}, {"justification", f.suppressed}}});
            results.push_back(std::move(r));
        }
    }
    nlohmann::json doc = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", nlohmann::json::array({{
                     {"tool",
                      {{"driver",
                        {{"name", "ciri"},
                         {"version", CIRI_VERSION},
                         {"semanticVersion", CIRI_VERSION},
                         {"informationUri", "https://github.com/ciri-project/ciri"},
                         {"rules", rules_json()}}}}},
                     {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file:///"}}}}},
                     {"results", results},
                 }})},
    };
    // The base id must point at the checkout; GitHub resolves %SRCROOT% itself, so drop ours.
    doc["runs"][0].erase("originalUriBaseIds");
    out << doc.dump(2) << "\n";
}

}  // namespace ciri
