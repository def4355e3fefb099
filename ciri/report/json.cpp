// JSON output: one document for scripts.
#include <nlohmann/json.hpp>
#include <ostream>

#include "ciri/report/reporter.hpp"
#include "ciri/report/rule_ids.hpp"

namespace ciri {

namespace {

nlohmann::json finding_json(const ReportedFinding& f, const FileResult& file, const ReportOptions& options) {
    nlohmann::json j = {{"parameter", f.parameter},
                        {"line", f.line},
                        {"value", shown_value(f, options)},
                        {"reason", shown_reason(f, file, options)},
                        {"votes", f.votes},
                        {"total", f.total},
                        {"voters", f.voters},
                        {"rule", rule_for(f).id},
                        {"severity", rule_for(f).level}};
    if (!f.category.empty()) j["category"] = f.category;
    if (!f.suppressed.empty()) j["suppressed"] = f.suppressed;
    if (f.secret) j["secret"] = true;
    if (!f.kind.empty()) j["kind"] = f.kind;
    return j;
}

}  // namespace

void render_json(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : report.files) {
        nlohmann::json findings = nlohmann::json::array(), suppressed = nlohmann::json::array();
        for (const auto& f : file.findings) (f.suppressed.empty() ? findings : suppressed).push_back(finding_json(f, file, options));
        nlohmann::json j = {{"path", file.path},     {"system", file.system},
                            {"version", file.version}, {"format", file.format},
                            {"parameters", file.param_count},
                            {"verdict", to_string(file.verdict)}, {"findings", findings},
                            {"suppressed", suppressed}, {"notes", file.notes}};
        if (file.verdict == Outcome::error) j["error"] = {{"message", file.error}, {"line", file.error_line}};
        files.push_back(std::move(j));
    }
    const auto& u = report.usage;
    nlohmann::json doc = {
        {"schema_version", kJsonSchemaVersion},  // docs/report.schema.json; bump on incompatible change
        {"files", files},
        {"summary",
         {{"files", report.files.size()},
          {"valid", report.count(Outcome::valid)},
          {"misconfigured", report.count(Outcome::misconfigured)},
          {"inconclusive", report.count(Outcome::inconclusive)},
          {"errors", report.count(Outcome::error)},
          {"suppressed", report.suppressed()},
          {"backends_down", report.backends_down},
          {"skipped", report.skipped_counts()},
          {"unfinished", report.unfinished},
          {"wall_seconds", report.wall_seconds}}},
        {"usage",
         {{"requests", u.requests},
          {"cached_requests", u.cached_requests},
          {"prompt_tokens", u.prompt_tokens},
          {"completion_tokens", u.completion_tokens},
          {"cached_prompt_tokens", u.cached_prompt_tokens},
          {"estimated_cost_usd", u.cost_usd},
          {"saved_requests", u.saved_requests},
          {"invalid_answers", u.invalid_answers},
          {"hallucinated_parameters", u.hallucinated}}},
    };
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : report.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
    doc["skipped"] = std::move(skipped);
    out << doc.dump(2) << "\n";
}

}  // namespace ciri
