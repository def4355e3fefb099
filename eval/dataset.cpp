#include "eval/dataset.hpp"
#include "base/data_dir.hpp"
#include "eval/real_world.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace ciri {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t tab = line.find('\t', start);
        out.push_back(line.substr(start, tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return out;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

std::unexpected<Error> fail_at(const fs::path& path, std::string message, int line = 0) {
    return std::unexpected(Error{std::move(message), line, path.string()});
}

bool keep_system(const DatasetOptions& options, std::string_view system) {
    return options.systems.empty() ||
           std::find(options.systems.begin(), options.systems.end(), system) != options.systems.end();
}

Expected<std::string> json_string(const nlohmann::json& j, const char* key, bool required) {
    if (!j.contains(key)) {
        if (required) return fail(std::string("missing \"") + key + "\"");
        return std::string();
    }
    if (!j[key].is_string()) return fail(std::string("\"") + key + "\" must be a string");
    return j[key].get<std::string>();
}

Expected<std::vector<DatasetItem>> read_manifest(const fs::path& dir, const DatasetOptions& options) {
    const fs::path manifest = dir / "manifest.jsonl";
    std::ifstream in(manifest);
    if (!in) return fail_at(manifest, "cannot read");
    std::vector<DatasetItem> items;
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (trim(line).empty()) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return fail_at(manifest, "not a json object", lineno);
        DatasetItem item;
        std::string label;
        for (auto [key, field, required] :
             {std::tuple{"id", &item.id, true}, {"path", nullptr, true}, {"system", &item.system, true},
              {"version", &item.version, false}, {"label", &label, true},
              {"category", &item.category, false}, {"subcategory", &item.subcategory, false}}) {
            auto v = json_string(j, key, required);
            if (!v) return fail_at(manifest, v.error().message, lineno);
            if (field) *field = *v;
            else item.path = dir / *v;
        }
        if (label == "valid") item.label = Label::valid;
        else if (label == "misconfigured") item.label = Label::misconfigured;
        else return fail_at(manifest, "label must be valid or misconfigured, not '" + label + "'", lineno);
        if (j.contains("params")) {
            if (!j["params"].is_array()) return fail_at(manifest, "\"params\" must be a list", lineno);
            for (const auto& p : j["params"]) {
                if (!p.is_string()) return fail_at(manifest, "\"params\" must hold strings", lineno);
                item.params.push_back(p.get<std::string>());
            }
        }
        if (j.contains("context")) {
            if (!j["context"].is_object()) return fail_at(manifest, "\"context\" must be an object", lineno);
            for (const auto& [k, v] : j["context"].items()) {
                if (!v.is_string()) return fail_at(manifest, "\"context\" values must be strings", lineno);
                item.context[k] = v.get<std::string>();
            }
        }
        if (item.label == Label::misconfigured && item.params.empty())
            return fail_at(manifest, "a misconfigured item needs its \"params\"", lineno);
        if (item.label == Label::valid && !item.params.empty())
            return fail_at(manifest, "a valid item has no \"params\"", lineno);
        if (keep_system(options, item.system)) items.push_back(std::move(item));
    }
    return items;
}

// The numbered files of an artifact folder (correct/ or erroneous/), sorted by number.
std::vector<int> numbered_files(const fs::path& dir) {
    std::vector<int> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        int n = 0;
        auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), n);
        if (err == std::errc() && end == name.data() + name.size() && e.is_regular_file()) out.push_back(n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

fs::path synthesize_dir(const fs::path& dir) {
    if (fs::is_directory(dir / "datasets" / "synthesize_config" / "ground_truth"))
        return dir / "datasets" / "synthesize_config";
    return dir;
}

Expected<std::vector<DatasetItem>> read_artifact(const fs::path& dir, const DatasetOptions& options) {
    const fs::path root = synthesize_dir(dir);
    const VersionTable& versions = options.versions ? *options.versions : default_version_table();
    std::vector<DatasetItem> items;
    std::vector<fs::path> truths;
    for (const auto& e : fs::directory_iterator(root / "ground_truth"))
        if (e.path().extension() == ".tsv") truths.push_back(e.path());
    std::sort(truths.begin(), truths.end());
    for (const fs::path& tsv : truths) {
        const std::string system = tsv.stem().string();
        if (!keep_system(options, system)) continue;
        auto version_it = versions.find(system);
        const std::string version = version_it == versions.end() ? "" : version_it->second;
        std::ifstream in(tsv);
        if (!in) return fail_at(tsv, "cannot read");
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            auto cols = split_tabs(line);
            if (cols.size() < 4) return fail_at(tsv, "expected at least 4 tab-separated columns", n);
            DatasetItem item;
            item.system = system;
            item.version = version;
            item.label = Label::misconfigured;
            item.category = trim(cols[0]);
            item.subcategory = trim(cols[1]);
            item.params.push_back(trim(cols[2]));
            if (item.subcategory == "Value Relationship") {
                if (cols.size() < 5 || trim(cols[4]).empty())
                    return fail_at(tsv, "a Value Relationship row needs a second parameter", n);
                item.params.push_back(trim(cols[4]));
            }
            item.kind = "erroneous";
            item.number = n;
            item.path = root / system / "erroneous" / std::to_string(n);
            if (!fs::is_regular_file(item.path)) return fail_at(tsv, "no file " + item.path.string(), n);
            item.id = system + "/erroneous/" + std::to_string(n);
            items.push_back(std::move(item));
        }
        const auto erroneous = numbered_files(root / system / "erroneous");
        if (!erroneous.empty() && erroneous.back() > n)
            return fail_at(tsv, "no ground-truth row for erroneous/" + std::to_string(erroneous.back()));
        for (int c : numbered_files(root / system / "correct")) {
            DatasetItem item;
            item.system = system;
            item.version = version;
            item.kind = "correct";
            item.number = c;
            item.path = root / system / "correct" / std::to_string(c);
            item.id = system + "/correct/" + std::to_string(c);
            items.push_back(std::move(item));
        }
    }
    return items;
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
            size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
            // Compare digit runs by value: strip leading zeros, then longer is larger.
            auto da = a.substr(i, ie - i), db = b.substr(j, je - j);
            while (da.size() > 1 && da[0] == '0') da.remove_prefix(1);
            while (db.size() > 1 && db[0] == '0') db.remove_prefix(1);
            if (da.size() != db.size()) return da.size() < db.size();
            if (da != db) return da < db;
            i = ie, j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i, ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

std::string_view to_string(Label label) { return label == Label::valid ? "valid" : "misconfigured"; }

std::vector<std::string> Dataset::systems() const {
    std::set<std::string> s;
    for (const auto& item : items) s.insert(item.system);
    return {s.begin(), s.end()};
}

Expected<VersionTable> read_version_table(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return fail_at(path, "cannot read");
    VersionTable table;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (trim(line).empty() || line[0] == '#') continue;
        auto cols = split_tabs(line);
        if (cols.size() < 2) return fail_at(path, "expected system<TAB>version", n);
        table[trim(cols[0])] = trim(cols[1]);
    }
    return table;
}

const VersionTable& default_version_table() {
    static const VersionTable table = [] {
        auto t = read_version_table(data_dir() / "datasets" / "versions.tsv");
        return t ? *t : VersionTable{};
    }();
    return table;
}

// Our labeled case sets live per system, `<dir>/<system>/cases/manifest.jsonl` (datasets/ of
// the source tree): the folders that have one, sorted.
std::vector<fs::path> case_dirs(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (fs::is_regular_file(e.path() / "cases" / "manifest.jsonl")) out.push_back(e.path() / "cases");
    std::sort(out.begin(), out.end());
    return out;
}

Expected<DatasetLayout> detect_layout(const fs::path& dir) {
    if (fs::is_regular_file(dir / "manifest.jsonl") || !case_dirs(dir).empty()) return DatasetLayout::manifest;
    if (fs::is_directory(synthesize_dir(dir) / "ground_truth")) return DatasetLayout::artifact;
    std::string hint = real_world_dir(dir) ? "; it holds the real-world set: add --set real-world" : "";
    return std::unexpected(Error{
        "not a dataset (no manifest.jsonl, no datasets/synthesize_config/ground_truth)" + hint, 0, dir.string()});
}

Expected<Dataset> read_dataset(const fs::path& dir, const DatasetOptions& options) {
    auto layout = options.set == DatasetSet::real_world ? Expected<DatasetLayout>(DatasetLayout::real_world)
                                                        : detect_layout(dir);
    if (!layout) return std::unexpected(layout.error());
    Dataset ds;
    ds.root = dir;
    ds.layout = *layout;
    Expected<std::vector<DatasetItem>> items;
    if (*layout == DatasetLayout::real_world) {
        items = read_real_world(dir, options);
    } else if (*layout == DatasetLayout::artifact) {
        items = read_artifact(dir, options);
    } else if (fs::is_regular_file(dir / "manifest.jsonl")) {
        items = read_manifest(dir, options);
    } else {
        items = std::vector<DatasetItem>{};
        for (const fs::path& cases : case_dirs(dir)) {
            auto some = read_manifest(cases, options);
            if (!some) return std::unexpected(some.error());
            for (auto& item : *some) items->push_back(std::move(item));
        }
    }
    if (!items) return std::unexpected(items.error());
    ds.items = std::move(*items);
    std::sort(ds.items.begin(), ds.items.end(),
              [](const DatasetItem& a, const DatasetItem& b) { return natural_less(a.id, b.id); });
    for (size_t i = 1; i < ds.items.size(); ++i)
        if (ds.items[i].id == ds.items[i - 1].id)
            return fail_at(dir, "duplicate id '" + ds.items[i].id + "'");
    for (const auto& s : options.systems) {
        bool found = std::any_of(ds.items.begin(), ds.items.end(),
                                 [&](const DatasetItem& item) { return item.system == s; });
        if (!found) return fail_at(dir, "no items for system '" + s + "'");
    }
    return ds;
}

}  // namespace ciri
