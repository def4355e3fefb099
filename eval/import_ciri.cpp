#include "eval/import_ciri.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "aggregator/ciri_result.hpp"
#include "ciri/backends/recorded_answers.hpp"
#include "eval/real_world.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

bool is_root(const fs::path& dir) {
    for (const char* set : {"synthesize_config", "real_world_config"})
        if (fs::is_directory(dir / "datasets" / set) && fs::is_directory(dir / "results" / set)) return true;
    return false;
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
        Error{"not the artifact's results (no results/synthesize_config or results/real_world_config next to "
              "datasets/)",
              0, dir.string()});
}

// results/real_world_config/<model>/<CASE-ID>: one model's recorded result for one case; the
// case's system is the folder of datasets/real_world_config that holds its file. The paper ran
// the real-world cases with its default prompt, so the mode is "default".
void import_real_world(const fs::path& root, ImportStats& stats, std::vector<RecordedRecord>& records,
                       std::set<std::string>& models) {
    const fs::path results = root / "results" / "real_world_config";
    std::error_code ec;
    if (!fs::is_directory(results, ec)) return;
    auto cases = real_world_cases(root / "datasets" / "real_world_config");
    if (!cases) {
        stats.skipped.push_back(cases.error());
        return;
    }
    std::map<std::string, const RealWorldCase*> by_id;
    for (const auto& c : *cases) by_id[c.id] = &c;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(results, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file() && !it->path().filename().string().starts_with(".")) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
        const fs::path rel = path.lexically_relative(results);
        if (std::distance(rel.begin(), rel.end()) != 2) {
            stats.skipped.push_back(Error{"not a results/real_world_config/<model>/<CASE-ID> path", 0, path.string()});
            continue;
        }
        const std::string model = rel.begin()->string(), id = path.filename().string();
        auto found = by_id.find(id);
        if (found == by_id.end()) {
            stats.skipped.push_back(
                Error{"no case file datasets/real_world_config/<system>/" + id, 0, path.string()});
            continue;
        }
        auto result = read_ciri_result(path);
        if (!result) {
            Error e = result.error();
            if (e.path.empty()) e.path = path.string();
            stats.skipped.push_back(std::move(e));
            continue;
        }
        auto text = read_file(found->second->path);
        if (!text) {
            stats.skipped.push_back(Error{"cannot read " + found->second->path.string(), 0, path.string()});
            continue;
        }
        CiriResultId where{found->second->system, model, "default", "real_world", 0};
        RecordedRecord r = make_record(*result, where, *text);
        r.case_id = id;
        records.push_back(std::move(r));
        models.insert(model);
    }
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
    import_real_world(*root, stats, records, models);
    if (records.empty()) return std::unexpected(Error{"no recorded result could be imported", 0, results_dir.string()});
    std::sort(records.begin(), records.end(), [](const RecordedRecord& a, const RecordedRecord& b) {
        return std::tie(a.model, a.mode, a.system, a.kind, a.number, a.case_id) <
               std::tie(b.model, b.mode, b.system, b.kind, b.number, b.case_id);
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
