// SARIF 2.1.0 with the fields GitHub code scanning requires: tool.driver.name and rules,
// results with ruleId, level, message.text and a physical location with a start line.
#include <nlohmann/json.hpp>
#include <ostream>

#include "ciri/report/reporter.hpp"

namespace ciri {

namespace {

// One rule per kind of result, so code scanning can group and filter them.
const nlohmann::json kRules = nlohmann::json::array({
    {{"id", "ciri/misconfiguration"},
     {"name", "Misconfiguration"},
     {"shortDescription", {{"text", "A configuration parameter has a value the system will reject or misuse"}}},
     {"fullDescription", {{"text", "LLM validators (and ciri's rules) agreed that this parameter is misconfigured: "
                                   "wrong type or syntax, out of range, inconsistent with another parameter, or not "
                                   "valid for this version."}}},
     {"help", {{"text", "Check the reason given; fix the value or add `ciri:ignore <parameter> <why>` in a comment."}}},
     {"defaultConfiguration", {{"level", "error"}}}},
    {{"id", "ciri/inconclusive"},
     {"name", "Inconclusive"},
     {"shortDescription", {{"text", "No verdict could be reached for this file"}}},
     {"fullDescription", {{"text", "Too few valid answers (a backend unreachable, no quorum) to call the file valid."}}},
     {"help", {{"text", "Run `ciri doctor` to check the configured backends."}}},
     {"defaultConfiguration", {{"level", "warning"}}}},
    {{"id", "ciri/input-error"},
     {"name", "InputError"},
     {"shortDescription", {{"text", "The file could not be read or parsed"}}},
     {"fullDescription", {{"text", "ciri could not read or parse this file, so it was not validated."}}},
     {"help", {{"text", "Fix the syntax error, or name the format with --format."}}},
     {"defaultConfiguration", {{"level", "error"}}}},
    {{"id", "ciri/syntax-error"},
     {"name", "SyntaxError"},
     {"shortDescription", {{"text", "A line of the file is not valid in its format"}}},
     {"fullDescription", {{"text", "The file's format parser could not read this line; the system reading the "
                                   "file would reject it or read something else. The other lines were validated."}}},
     {"help", {{"text", "Fix the line so the format accepts it."}}},
     {"defaultConfiguration", {{"level", "error"}}}},
});

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

nlohmann::json result(int rule_index, const char* level, const std::string& message, const std::string& path,
                      int line) {
    return {{"ruleId", kRules[rule_index]["id"]},
            {"ruleIndex", rule_index},
            {"level", level},
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
            results.push_back(result(2, "error", file.error, file.path, file.error_line));
            continue;
        }
        if (file.verdict == Outcome::inconclusive)
            results.push_back(result(1, "warning", "no verdict could be reached for this file", file.path, 1));
        for (const auto& f : file.findings) {
            std::string msg = f.parameter + " = " + shown_value(f, options) + ": " + shown_reason(f, file, options);
            if (auto note = vote_note(f); !note.empty()) msg += " [" + note + "]";
            if (f.kind == "syntax") msg = (f.parameter.empty() ? "" : f.parameter + ": ") + f.reason + ": " + f.value;
            auto r = result(f.kind == "syntax" ? 3 : 0, "error", msg, file.path, f.line);
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
                         {"rules", kRules}}}}},
                     {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file:///"}}}}},
                     {"results", results},
                 }})},
    };
    // The base id must point at the checkout; GitHub resolves %SRCROOT% itself, so drop ours.
    doc["runs"][0].erase("originalUriBaseIds");
    out << doc.dump(2) << "\n";
}

}  // namespace ciri
