#include "ciri/report/jsonl.hpp"

#include <ostream>

#include "ciri/report/json.hpp"

namespace ciri {

JsonlWriter::JsonlWriter(std::ostream& out, ReportOptions options) : out_(out), options_(std::move(options)) {}

void JsonlWriter::file(const FileResult& result) {
    nlohmann::json j = file_json(result, options_);
    j["schema_version"] = kJsonSchemaVersion;
    std::string line = j.dump() + "\n";
    std::lock_guard lock(mu_);
    out_ << line << std::flush;
}

void JsonlWriter::summary(const RunReport& report) {
    nlohmann::json j = {{"schema_version", kJsonSchemaVersion},
                        {"summary", summary_json(report)},
                        {"usage", usage_json(report)}};
    std::string line = j.dump() + "\n";
    std::lock_guard lock(mu_);
    out_ << line << std::flush;
}

// The registry's renderer, for a finished run (and -f jsonl=FILE, written at once).
void render_jsonl(const RunReport& report, std::ostream& out, const ReportOptions& options) {
    JsonlWriter writer(out, options);
    for (const auto& f : report.files) writer.file(f);
    writer.summary(report);
}

}  // namespace ciri
