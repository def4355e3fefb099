#include "ciri/baseline.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/atomic_file.hpp"

#include "parsers/reader.hpp"

namespace ciri {

Expected<void> write_baseline(const std::filesystem::path& file, const RunReport& report) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : report.files)
        for (const ReportedFinding* x : f.active()) findings.push_back({{"path", f.path}, {"parameter", x->parameter}});
    nlohmann::json doc = {{"ciri_baseline", 1}, {"findings", findings}};
    return write_file_atomic(file, doc.dump(2) + "\n");
}

Expected<std::set<FindingKey>> read_baseline(const std::filesystem::path& file) {
    // Bounded, and only a regular file: a baseline is usually a file of the repository, which
    // may be a link to /dev/zero or a FIFO.
    auto text = read_text_file(file);
    if (!text) return std::unexpected(Error{"cannot read the baseline: " + text.error().message, 0, file.string()});
    auto doc = nlohmann::json::parse(*text, nullptr, false);
    auto bad = [&](const std::string& what) { return std::unexpected(Error{"not a ciri baseline: " + what, 0, file.string()}); };
    if (doc.is_discarded()) return bad("not JSON");
    if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) return bad("no findings array");
    std::set<FindingKey> out;
    for (const auto& f : doc["findings"]) {
        if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("parameter") ||
            !f["parameter"].is_string())
            return bad("each finding needs a path and a parameter");
        out.insert({f["path"].get<std::string>(), f["parameter"].get<std::string>()});
    }
    return out;
}

int apply_baseline(RunReport& report, const std::set<FindingKey>& baseline, const std::string& label) {
    int marked = 0;
    for (auto& file : report.files)
        for (auto& f : file.findings)
            if (f.suppressed.empty() && baseline.contains({file.path, f.parameter})) {
                f.suppressed = "in baseline " + label;
                ++marked;
            }
    for (auto& file : report.files)
        if (file.verdict == Outcome::misconfigured && file.active().empty()) file.verdict = Outcome::valid;
    return marked;
}

int keep_new_findings(RunReport& now, const RunReport& before, const std::string& rev) {
    std::map<FindingKey, std::set<std::string>> old;  // key -> values it was reported with
    for (const auto& file : before.files)
        for (const ReportedFinding* f : file.active()) old[{file.path, f->parameter}].insert(f->value);
    int marked = 0;
    for (auto& file : now.files) {
        for (auto& f : file.findings) {
            if (!f.suppressed.empty()) continue;
            auto it = old.find({file.path, f.parameter});
            if (it == old.end() || !it->second.contains(f.value)) continue;
            f.suppressed = "already there at " + rev + " (--new-only)";
            ++marked;
        }
        // A file whose findings all predate the change is not made misconfigured by it.
        if (file.verdict == Outcome::misconfigured && file.active().empty()) file.verdict = Outcome::valid;
    }
    return marked;
}

}  // namespace ciri
