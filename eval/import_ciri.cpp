#include "eval/import_ciri.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "aggregator/ciri_result.hpp"
#include "ciri/backends/recorded_answers.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

bool is_root(const fs::path& dir) {
    return fs::is_directory(dir / "datasets" / "synthesize_config") &&
           fs::is_directory(dir / "results" / "synthesize_config");
}

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

}  // namespace

Expected<fs::path> artifact_root_of(const fs::path& dir) {
    for (fs::path d : {dir, dir.parent_path(), dir.parent_path().parent_path()})
        if (!d.empty() && is_root(d)) return d;
    // "results/" given with a trailing slash has an empty filename; try the normalised form too.
    fs::path norm = fs::weakly_canonical(dir);
    for (fs::path d : {norm, norm.parent_path(), norm.parent_path().parent_path()})
        if (!d.empty() && is_root(d)) return d;
    return std::unexpected(
        Error{"not the artifact's results (no results/synthesize_config next to datasets/)", 0, dir.string()});
}

Expected<ImportStats> import_ciri_results(const fs::path& results_dir, const fs::path& out) {
    auto root = artifact_root_of(results_dir);
    if (!root) return std::unexpected(root.error());
    ImportStats stats;
    std::vector<RecordedRecord> records;
    std::map<fs::path, std::optional<std::string>> texts;  // dataset files are shared by 16 runs
    std::set<std::string> models;
    for (const fs::path& path : ciri_result_files(*root)) {
        auto id = ciri_result_id(path);
        if (!id) {
            stats.skipped.push_back(Error{id.error().message, 0, path.string()});
            continue;
        }
        auto result = read_ciri_result(path);
        if (!result) {
            Error e = result.error();
            if (e.path.empty()) e.path = path.string();
            stats.skipped.push_back(std::move(e));
            continue;
        }
        const fs::path data = id->dataset_file(*root);
        auto [it, fresh] = texts.try_emplace(data);
        if (fresh) it->second = read_file(data);
        if (!it->second) {
            stats.skipped.push_back(Error{"no dataset file " + data.string(), 0, path.string()});
            continue;
        }
        records.push_back(make_record(*result, *id, *it->second));
        models.insert(id->model);
    }
    if (records.empty()) return std::unexpected(Error{"no recorded result could be imported", 0, results_dir.string()});
    std::sort(records.begin(), records.end(), [](const RecordedRecord& a, const RecordedRecord& b) {
        return std::tie(a.model, a.mode, a.system, a.kind, a.number) <
               std::tie(b.model, b.mode, b.system, b.kind, b.number);
    });
    const fs::path tmp = out.string() + ".tmp";
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        if (!o) return std::unexpected(Error{"cannot write", 0, tmp.string()});
        for (const auto& r : records) o << to_json(r).dump() << "\n";
        if (!o.flush()) return std::unexpected(Error{"cannot write", 0, tmp.string()});
    }
    std::error_code ec;
    fs::rename(tmp, out, ec);
    if (ec) return std::unexpected(Error{"cannot rename: " + ec.message(), 0, out.string()});
    stats.records = static_cast<long>(records.size());
    stats.models.assign(models.begin(), models.end());
    return stats;
}

}  // namespace ciri
