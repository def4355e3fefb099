#include "eval/real_world.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include "parsers/detect.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTable = "historical_issue.tsv";

// The columns of a table row, each without surrounding blanks; empty columns dropped (a
// trailing tab, or two tabs in a row, name no parameter).
std::vector<std::string> columns(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= line.size()) {
        size_t tab = line.find('\t', start);
        if (tab == std::string::npos) tab = line.size();
        std::string col = line.substr(start, tab - start);
        const size_t b = col.find_first_not_of(" \r");
        const size_t e = col.find_last_not_of(" \r");
        if (b != std::string::npos) out.push_back(col.substr(b, e - b + 1));
        start = tab + 1;
    }
    return out;
}

bool wanted(const std::vector<std::string>& systems, const std::string& system) {
    return systems.empty() || std::ranges::find(systems, system) != systems.end();
}

std::string known_systems() {
    std::string out;
    for (const auto& s : systems()) out += (out.empty() ? "" : ", ") + std::string(s.name);
    return out;
}

}  // namespace

Expected<fs::path> real_world_dir(const fs::path& dir) {
    if (fs::is_regular_file(dir / "datasets" / "real_world_config" / kTable)) return dir / "datasets" / "real_world_config";
    if (fs::is_regular_file(dir / kTable)) return dir;
    return std::unexpected(Error{"no real-world set here (expected datasets/real_world_config/historical_issue.tsv)",
                                 0, dir.string()});
}

Expected<std::vector<RealWorldCase>> real_world_cases(const fs::path& set_dir) {
    std::vector<RealWorldCase> out;
    std::map<std::string, std::string> seen;  // id -> system
    std::vector<fs::path> folders;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(set_dir, ec))
        if (e.is_directory() && !e.path().filename().string().starts_with(".")) folders.push_back(e.path());
    if (ec) return std::unexpected(Error{"cannot list: " + ec.message(), 0, set_dir.string()});
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
        const std::string system = folder.filename().string();
        for (const auto& e : fs::directory_iterator(folder, ec)) {
            const std::string id = e.path().filename().string();
            if (!e.is_regular_file() || id.starts_with(".")) continue;
            auto [it, fresh] = seen.emplace(id, system);
            if (!fresh)
                return std::unexpected(Error{"case " + id + " is under both " + it->second + " and " + system, 0,
                                             e.path().string()});
            out.push_back({id, system, e.path()});
        }
    }
    std::sort(out.begin(), out.end(), [](const RealWorldCase& a, const RealWorldCase& b) {
        return a.system != b.system ? a.system < b.system : natural_less(a.id, b.id);
    });
    return out;
}

Expected<std::vector<DatasetItem>> read_real_world(const fs::path& dir, const DatasetOptions& options) {
    auto set_dir = real_world_dir(dir);
    if (!set_dir) return std::unexpected(set_dir.error());
    // Every case file, whatever --systems keeps: a row is checked against all of them.
    auto all = real_world_cases(*set_dir);
    if (!all) return std::unexpected(all.error());
    for (const auto& c : *all)
        if (wanted(options.systems, c.system) && !find_system(c.system))
            return std::unexpected(Error{"unknown system '" + c.system +
                                             "': its files have no extension, so ciri cannot tell their format "
                                             "(known systems: " + known_systems() + "); leave it out with --systems",
                                         0, c.path.parent_path().string()});
    std::map<std::string, const RealWorldCase*> by_id;
    for (const auto& c : *all) by_id[c.id] = &c;

    const fs::path table = *set_dir / kTable;
    std::ifstream in(table);
    if (!in) return std::unexpected(Error{"cannot read", 0, table.string()});
    const VersionTable& versions = options.versions ? *options.versions : default_version_table();
    std::map<std::string, int> row_of;  // case id -> line
    std::vector<DatasetItem> items;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        auto cols = columns(line);
        if (cols.empty() || cols[0].starts_with("#")) continue;
        // Case ids are "PROJECT-NUMBER"; a first line without a digit names the columns.
        if (n == 1 && std::ranges::none_of(cols[0], [](unsigned char c) { return std::isdigit(c); })) continue;
        if (cols.size() < 2)
            return std::unexpected(Error{"expected the case id, then its misconfigured parameters, tab-separated", n,
                                         table.string()});
        auto [prev, fresh] = row_of.emplace(cols[0], n);
        if (!fresh)
            return std::unexpected(Error{"case " + cols[0] + " is listed again (first on line " +
                                             std::to_string(prev->second) + ")",
                                         n, table.string()});
        auto found = by_id.find(cols[0]);
        if (found == by_id.end())
            return std::unexpected(
                Error{"no case file " + cols[0] + " under " + set_dir->string() + "/<system>/", n, table.string()});
        const RealWorldCase& c = *found->second;
        if (!wanted(options.systems, c.system)) continue;
        DatasetItem item;
        item.id = c.system + "/" + c.id;
        item.path = c.path;
        item.system = c.system;
        if (auto v = versions.find(c.system); v != versions.end()) item.version = v->second;
        item.label = Label::misconfigured;
        item.params.assign(cols.begin() + 1, cols.end());
        items.push_back(std::move(item));
    }
    for (const auto& c : *all)
        if (wanted(options.systems, c.system) && !row_of.count(c.id))
            return std::unexpected(Error{"case file without a row in " + table.string(), 0, c.path.string()});
    return items;
}

}  // namespace ciri
