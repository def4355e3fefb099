#include "ciri/rules/spec_versions.hpp"

#include <algorithm>
#include <set>

#include "ciri/rules/infer.hpp"

namespace ciri {

namespace {

// Share of the words two names have in common (Jaccard over name_tokens).
double word_overlap(std::string_view a, std::string_view b) {
    auto ta = name_tokens(a), tb = name_tokens(b);
    std::set<std::string> sa(ta.begin(), ta.end()), sb(tb.begin(), tb.end());
    size_t common = 0;
    for (const auto& w : sa) common += sb.count(w);
    size_t all = sa.size() + sb.size() - common;
    return all == 0 ? 0 : static_cast<double>(common) / static_cast<double>(all);
}

bool same_kind(const ParamSpec& a, const ParamSpec& b) {
    return a.rule.kind == b.rule.kind && a.rule.list == b.rule.list;
}

}  // namespace

SpecDiff diff_specs(const SpecSet& older, const SpecSet& newer) {
    SpecDiff d;
    std::vector<std::string> gone, come;
    for (const auto& [name, row] : older.params)
        if (!newer.params.count(name)) gone.push_back(name);
    for (const auto& [name, row] : newer.params)
        if (!older.params.count(name)) come.push_back(name);
    std::set<std::string> paired;
    for (const auto& old_name : gone) {
        const ParamSpec& o = older.params.at(old_name);
        std::string best;
        double best_overlap = 0.5;  // more than half of the words in common
        for (const auto& new_name : come) {
            if (paired.count(new_name)) continue;
            const ParamSpec& n = newer.params.at(new_name);
            if (o.default_value.empty() || o.default_value != n.default_value || !same_kind(o, n)) continue;
            double overlap = word_overlap(old_name, new_name);
            if (overlap > best_overlap) best_overlap = overlap, best = new_name;
        }
        if (best.empty()) {
            d.removed.push_back(old_name);
        } else {
            d.renamed.emplace_back(old_name, best);
            paired.insert(best);
        }
    }
    for (const auto& n : come)
        if (!paired.count(n)) d.added.push_back(n);
    return d;
}

SpecSet merge_versions(const SpecSet& older, const SpecSet& newer, std::string_view newer_version) {
    SpecSet out = newer;
    for (auto& [name, row] : out.params) {
        auto it = older.params.find(name);
        if (it == older.params.end()) {
            if (row.since.empty()) row.since = std::string(newer_version);
        } else if (row.since.empty()) {
            row.since = it->second.since;
        }
    }
    for (const auto& [name, row] : older.params) {
        if (out.params.count(name)) continue;
        ParamSpec gone = row;
        if (gone.until.empty()) gone.until = std::string(newer_version);
        out.params.emplace(name, std::move(gone));
    }
    out.sources.insert(out.sources.begin(), older.sources.begin(), older.sources.end());
    return out;
}

}  // namespace ciri
