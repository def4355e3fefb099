#include "eval/errata.hpp"

#include <algorithm>
#include <fstream>

#include "parsers/load.hpp"

namespace ciri {
namespace {

std::unexpected<Error> fail_at(const std::filesystem::path& path, std::string message, int line = 0) {
    return std::unexpected(Error{std::move(message), line, path.string()});
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
        out.push_back(line.substr(start, tab - start));
    out.push_back(line.substr(start));
    return out;
}

// A value as the file writes it, without the quotes some formats put around it.
std::string unquoted(std::string v) {
    if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    return v;
}

}  // namespace

Expected<std::vector<Erratum>> read_errata(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return fail_at(path, "cannot read the errata table");
    std::vector<Erratum> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.starts_with('#') || line.starts_with("item\t")) continue;
        auto f = split_tabs(line);
        if (f.size() < 5 || std::any_of(f.begin(), f.begin() + 5, [](const std::string& s) { return s.empty(); }))
            return fail_at(path, "expected five tab-separated fields: item, parameter, value, judge, fact", n);
        out.push_back({f[0], f[1], f[2], f[3], f[4], n});
    }
    return out;
}

Expected<size_t> apply_errata(Dataset& dataset, const std::vector<Erratum>& errata,
                              const std::filesystem::path& errata_path, bool filtered) {
    size_t changed = 0;
    for (const Erratum& e : errata) {
        auto item = std::find_if(dataset.items.begin(), dataset.items.end(),
                                 [&](const DatasetItem& i) { return i.id == e.item; });
        if (item == dataset.items.end()) {
            if (filtered) continue;  // the run keeps some systems only (--systems): not among them
            return fail_at(errata_path, "no item '" + e.item + "' in " + dataset.root.string(), e.line);
        }
        // The row must describe the file as it is: a table made for other files corrects nothing.
        LoadOptions lo;
        lo.system = item->system;
        lo.version = item->version;
        auto file = load_config(item->path.string(), lo);
        if (!file) return fail_at(errata_path, e.item + ": " + file.error().message, e.line);
        bool sets = std::any_of(file->params.begin(), file->params.end(), [&](const Parameter& p) {
            return p.key == e.parameter && unquoted(p.value) == e.value;
        });
        if (!sets)
            return fail_at(errata_path, e.item + " does not set " + e.parameter + " = " + e.value, e.line);
        if (std::find(item->params.begin(), item->params.end(), e.parameter) != item->params.end()) continue;
        item->params.push_back(e.parameter);
        if (item->label == Label::valid) {
            item->label = Label::misconfigured;
            item->category = "Range";
            item->subcategory = "Basic Numeric";
        }
        ++changed;
    }
    return changed;
}

Expected<std::string> correct_labels(Dataset& dataset, const std::filesystem::path& errata_path, bool filtered) {
    if (errata_path.empty()) return std::string();
    auto errata = read_errata(errata_path);
    if (!errata) return std::unexpected(errata.error());
    auto changed = apply_errata(dataset, *errata, errata_path, filtered);
    if (!changed) return std::unexpected(changed.error());
    return std::to_string(*changed) + " labels corrected by " + errata_path.string() +
           " (values the real program refuses that the labels call fine)";
}

}  // namespace ciri
