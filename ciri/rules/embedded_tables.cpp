#include "ciri/rules/embedded_tables.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace ciri {

namespace {

// Which systems' files carry which other system's settings, and under what prefix.
struct Embedded {
    std::string_view system;  ///< the file's system
    std::string_view other;   ///< the system whose table checks the prefixed keys
    std::string_view prefix;
};

// sbatch: `export NAME=value` lines of the body are `env.NAME` (parsers/sbatch_parser.cpp), and
// NCCL's variables are what a training job's script exports most.
// kubernetes: a container's `env:` list names them (check_env_lists).
constexpr Embedded kEmbedded[] = {
    {"sbatch", "nccl", "env."},
    {"kubernetes", "nccl", "env."},
};

}  // namespace

std::vector<RuleFinding> check_env_lists(const ConfigFile& file, const SpecSet& spec, const RulesOptions& options) {
    // Most files hold no environment list, and most tables no `env.` row: nothing to index.
    auto env_row = spec.params.lower_bound("env.");
    if (env_row == spec.params.end() || !env_row->first.starts_with("env.")) return {};
    if (std::none_of(file.params.begin(), file.params.end(),
                     [](const Parameter& p) { return p.key.ends_with("].name") && p.key.find("env[") != std::string::npos; }))
        return {};
    // One list per key prefix up to `env[`: a container's entries are checked together.
    std::map<std::string, ConfigFile> lists;
    std::map<std::string, std::string> value_key;  // "env.NAME" in a list -> the file's value key
    std::map<std::string, const Parameter*> by_key;
    for (const auto& p : file.params) by_key.emplace(p.key, &p);
    for (const auto& p : file.params) {
        if (!p.key.ends_with("].name")) continue;
        size_t open = p.key.rfind("env[");
        if (open == std::string::npos || (open > 0 && p.key[open - 1] != '.')) continue;
        std::string entry = p.key.substr(0, p.key.size() - 5);  // `...env[3]`
        if (entry.find(']', open) != entry.size() - 1) continue;
        auto value = by_key.find(entry + ".value");
        std::string row = "env." + p.value;
        if (value == by_key.end() || !spec.params.contains(row)) continue;
        std::string list = p.key.substr(0, open);
        ConfigFile& mini = lists[list];
        mini.path = file.path, mini.format = file.format, mini.system = file.system, mini.version = file.version;
        mini.params.push_back({row, value->second->value, value->second->line, "", ""});
        value_key[list + '\x1f' + row] = value->second->key;
    }
    std::vector<RuleFinding> out;
    for (const auto& [list, mini] : lists)
        for (RuleFinding f : check_file(mini, spec, options).findings) {
            f.param = value_key.at(list + '\x1f' + f.param);
            out.push_back(std::move(f));
        }
    return out;
}

SpecSet with_prefix(const SpecSet& spec, std::string_view prefix) {
    auto renamed = [&](const std::string& name) {
        return spec.params.contains(name) ? std::string(prefix) + name : name;
    };
    SpecSet out;
    out.system = spec.system;
    out.bool_spellings = spec.bool_spellings;
    out.case_sensitive = spec.case_sensitive;
    out.sources = spec.sources;
    for (const auto& [name, row] : spec.params) {
        // The `*` row holds system-wide facts, not a parameter.
        std::string key = name == "*" ? name : renamed(name);
        ParamSpec r = row;
        r.name = key;
        out.params.emplace(key, std::move(r));
    }
    for (Constraint c : spec.constraints) {
        for (auto& t : c.lhs) t = renamed(t);
        for (auto& t : c.rhs) t = renamed(t);
        c.owner = renamed(c.owner);
        c.cond_param = renamed(c.cond_param);
        c.need_param = renamed(c.need_param);
        for (auto& w : c.when) {
            // `unless A,B`: each name of the list.
            std::string list;
            for (size_t start = 0; start <= w.param.size();) {
                size_t comma = w.param.find(',', start);
                if (comma == std::string::npos) comma = w.param.size();
                list += (list.empty() ? "" : ",") + renamed(w.param.substr(start, comma - start));
                start = comma + 1;
            }
            w.param = list;
        }
        out.constraints.push_back(std::move(c));
    }
    return out;
}

Expected<void> merge_embedded_tables(SpecSet& set, std::string_view system, const std::filesystem::path& shipped_dir) {
    if (shipped_dir.empty()) return {};
    for (const auto& e : kEmbedded) {
        if (e.system != system) continue;
        std::filesystem::path table = shipped_dir / std::string(e.other) / "params.tsv";
        std::error_code ec;
        if (!std::filesystem::is_regular_file(table, ec)) continue;
        auto other = read_spec_tsv(table);
        if (!other) return std::unexpected(other.error());
        SpecSet prefixed = with_prefix(*other, e.prefix);
        // The file's own `*` row (its boolean spellings) is not the other system's.
        prefixed.params.erase("*");
        prefixed.bool_spellings.clear();
        prefixed.case_sensitive = false;
        prefixed.units.clear();
        std::erase_if(prefixed.constraints, [](const Constraint& c) { return c.system_wide(); });
        set.merge(prefixed);
    }
    return {};
}

}  // namespace ciri
