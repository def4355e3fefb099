// JSON output: one document for scripts.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "ciri/report/json.hpp"
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
    if (!f.dissent.empty()) j["dissent"] = f.dissent;
    return j;
}

}  // namespace

nlohmann::json file_json(const FileResult& file, const ReportOptions& options) {
    nlohmann::json findings = nlohmann::json::array(), suppressed = nlohmann::json::array();
    for (const auto& f : file.findings) (f.suppressed.empty() ? findings : suppressed).push_back(finding_json(f, file, options));
    nlohmann::json j = {{"path", file.path},     {"system", file.system},
                        {"version", file.version}, {"format", file.format},
                        {"parameters", file.param_count},
                        {"verdict", to_string(file.verdict)}, {"findings", findings},
                        {"suppressed", suppressed}, {"notes", file.notes}};
    if (file.verdict == Outcome::error) j["error"] = {{"message", file.error}, {"line", file.error_line}};
    return j;
}

nlohmann::json summary_json(const RunReport& report) {
    return {{"files", report.files.size()},
          {"valid", report.count(Outcome::valid)},
          {"misconfigured", report.count(Outcome::misconfigured)},
          {"inconclusive", report.count(Outcome::inconclusive)},
          {"errors", report.count(Outcome::error)},
          {"suppressed", report.suppressed()},
          {"backends_down", report.backends_down},
          {"skipped", report.skipped_counts()},
          {"unfinished", report.unfinished},
          {"wall_seconds", report.wall_seconds}};
}

nlohmann::json usage_json(const RunReport& report) {
    const auto& u = report.usage;
    nlohmann::json backends = nlohmann::json::array();
    for (const auto& b : report.backends) {
        nlohmann::json j = {{"model", b.model},
                            {"requests", b.requests},
                            {"cached_requests", b.cached_requests},
                            {"prompt_tokens", b.prompt_tokens},
                            {"cached_prompt_tokens", b.cached_prompt_tokens},
                            {"completion_tokens", b.completion_tokens}};
        if (b.cache_write_prompt_tokens) j["cache_write_prompt_tokens"] = b.cache_write_prompt_tokens;
        if (b.cost_usd) j["estimated_cost_usd"] = *b.cost_usd;  // absent: the model has no price
        backends.push_back(std::move(j));
    }
    return {{"requests", u.requests},
          {"cached_requests", u.cached_requests},
          {"prompt_tokens", u.prompt_tokens},
          {"completion_tokens", u.completion_tokens},
          {"cached_prompt_tokens", u.cached_prompt_tokens},
          {"cache_write_prompt_tokens", u.cache_write_prompt_tokens},
          {"estimated_cost_usd", u.cost_usd},
          {"saved_requests", u.saved_requests},
          {"invalid_answers", u.invalid_answers},
          {"hallucinated_parameters", u.hallucinated},
          {"backends", backends}};
}

namespace {

// `j` as dump(2) prints it nested `depth` levels deep: every line after the first indented.
void dump_nested(std::ostream& out, const nlohmann::json& j, int depth) {
    std::string text = j.dump(2), pad(static_cast<size_t>(2 * depth), ' ');
    size_t begin = 0;
    for (size_t nl; (nl = text.find('\n', begin)) != std::string::npos; begin = nl + 1)
        out.write(text.data() + begin, static_cast<std::streamsize>(nl + 1 - begin)) << pad;
    out << std::string_view(text).substr(begin);
}

}  // namespace

// The document is written a file at a time, never built whole: 100,000 files would hold some
// 300 MiB as one JSON tree. The bytes are those of the whole tree's dump(2) (keys in order).
void render_json(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    out << "{\n  \"files\": [";
    for (size_t i = 0; i < report.files.size(); ++i) {
        out << (i ? ",\n    " : "\n    ");
        dump_nested(out, file_json(report.files[i], options), 2);
    }
    out << (report.files.empty() ? "]" : "\n  ]");
    out << ",\n  \"schema_version\": " << kJsonSchemaVersion;  // docs/report.schema.json; bump on incompatible change
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : report.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
    out << ",\n  \"skipped\": ";
    dump_nested(out, skipped, 1);
    out << ",\n  \"summary\": ";
    dump_nested(out, summary_json(report), 1);
    out << ",\n  \"usage\": ";
    dump_nested(out, usage_json(report), 1);
    out << "\n}\n";
}

}  // namespace ciri
