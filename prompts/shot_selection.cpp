#include "prompts/shot_selection.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "prompts/file_view.hpp"
#include "prompts/shot_library.hpp"

namespace ciri {

namespace {

// FNV-1a: a fixed hash (std::hash may differ between standard libraries), so a seed
// picks the same shots for the same file everywhere.
uint64_t fnv1a(std::string_view text) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

// The first `count` of `items` after a partial Fisher-Yates shuffle. Uses the engine's raw
// output (fixed by the standard) rather than a distribution (implementation-defined).
std::vector<const Shot*> random_pick(std::vector<const Shot*> items, size_t count,
                                     std::mt19937_64& rng) {
    count = std::min(count, items.size());
    for (size_t i = 0; i < count; ++i) {
        size_t j = i + static_cast<size_t>(rng() % (items.size() - i));
        std::swap(items[i], items[j]);
    }
    items.resize(count);
    return items;
}

// `items` ordered by similarity to the file, most similar first; pool order breaks ties.
std::vector<const Shot*> by_similarity(std::vector<const Shot*> items,
                                       const std::map<const Shot*, double>& score) {
    std::ranges::stable_sort(
        items, [&](const Shot* a, const Shot* b) { return score.at(a) > score.at(b); });
    return items;
}

// Round robin over categories so different ones come first; within a category and between
// categories, the more similar shot goes first.
std::vector<const Shot*> category_pick(const std::vector<const Shot*>& items, size_t count,
                                       const std::map<const Shot*, double>& score) {
    std::vector<std::pair<std::string, std::vector<const Shot*>>> groups;
    for (const Shot* s : by_similarity(items, score)) {
        auto it = std::ranges::find(groups, s->category, &decltype(groups)::value_type::first);
        if (it == groups.end())
            groups.push_back({s->category, {s}});
        else
            it->second.push_back(s);
    }
    // Groups are already ordered by their best shot's similarity (first seen = best).
    std::vector<const Shot*> out;
    for (size_t round = 0; out.size() < count; ++round) {
        bool any = false;
        for (auto& [category, shots] : groups) {
            if (round < shots.size() && out.size() < count) {
                out.push_back(shots[round]);
                any = true;
            }
        }
        if (!any) break;
    }
    return out;
}

std::vector<std::string> file_keys(const ConfigFile& file) {
    std::vector<std::string> keys;
    for (const Parameter& p : file.params) keys.push_back(p.key);
    return keys;
}

bool same_text(std::string_view a, std::string_view b) {
    auto strip = [](std::string_view s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
        return s;
    };
    return strip(a) == strip(b);
}

}  // namespace

const std::vector<std::string>& shot_strategies() {
    static const std::vector<std::string> kStrategies = {"random", "similarity", "category", "stable"};
    return kStrategies;
}

std::vector<std::string> key_tokens(std::string_view key) {
    std::vector<std::string> tokens;
    std::string current;
    auto flush = [&] {
        if (!current.empty() && !std::ranges::all_of(current, ::isdigit)) tokens.push_back(current);
        current.clear();
    };
    auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
    for (size_t i = 0; i < key.size(); ++i) {
        char c = key[i];
        if (c == '.' || c == '_' || c == '-' || c == '/' || c == '[' || c == ']' || c == ' ' ||
            c == ':' || c == '=' || c == '"' || c == '\'') {
            flush();
            continue;
        }
        // A capital starts a word after a lower-case letter or digit ("maxClient"), or
        // ends an acronym when a lower-case word follows ("HTTPServer" -> http, server;
        // but "CPUs" stays one: a plural s is not a word).
        size_t lower_run = 0;
        while (i + 1 + lower_run < key.size() && is_lower(key[i + 1 + lower_run])) ++lower_run;
        if (is_upper(c) && i > 0 &&
            (is_lower(key[i - 1]) || std::isdigit(static_cast<unsigned char>(key[i - 1])) ||
             (is_upper(key[i - 1]) && lower_run >= 2)))
            flush();
        current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    flush();
    return tokens;
}

std::set<std::string> token_set(const std::vector<std::string>& keys) {
    std::set<std::string> out;
    for (const std::string& key : keys)
        for (std::string& t : key_tokens(key)) out.insert(std::move(t));
    return out;
}

double token_cosine(const std::set<std::string>& a, const std::set<std::string>& b) {
    if (a.empty() || b.empty()) return 0.0;
    size_t common = 0;
    for (const std::string& t : a) common += b.contains(t);
    return static_cast<double>(common) / std::sqrt(static_cast<double>(a.size() * b.size()));
}

std::vector<std::string> shot_keys(const Shot& shot) {
    const SystemInfo* info = find_system(shot.system);
    if (!info) return {};
    LoadOptions options;
    options.format = info->format;
    options.system = shot.system;
    auto parsed = load_config_bytes(shot.path.empty() ? shot.id : shot.path, shot.config, options);
    if (!parsed) return {};
    return file_keys(*parsed);
}

IndexedPool index_pool(std::vector<Shot> shots) {
    IndexedPool out;
    out.shots = std::move(shots);
    for (Shot& s : out.shots) {
        if (auto compact = compact_shot_config(s.system, s.config)) s.compact_config = std::move(*compact);
        out.tokens.push_back(token_set(shot_keys(s)));
        out.all_tokens.insert(out.tokens.back().begin(), out.tokens.back().end());
        for (const std::string& t : out.tokens.back()) out.shots_with[t].push_back(out.tokens.size() - 1);
    }
    return out;
}

Expected<ShotSelection> select_from_pool(const ConfigFile& file, const IndexedPool& indexed,
                                         const SelectionOptions& options) {
    if (std::ranges::find(shot_strategies(), options.strategy) == shot_strategies().end())
        return fail("unknown shot selection '" + options.strategy +
                    "' (use random, similarity, category or stable)");
    if (options.valid_shots < 0 || options.misconfig_shots < 0)
        return fail("shot counts must not be negative");
    const std::vector<Shot>& pool = indexed.shots;
    ShotSelection out;
    std::vector<const Shot*> misconfig, valid;
    for (const Shot& s : pool) {
        if (same_text(s.config, file.text)) {
            out.notes.push_back("shot " + s.id + " is the file under test itself: not used");
            continue;
        }
        (s.valid ? valid : misconfig).push_back(&s);
    }
    std::map<const Shot*, double> score;
    if (options.strategy == "stable") {
        // The shots most typical of the system (their keys against the whole pool's), the same
        // for every file, so each prompt of the system starts with the same bytes.
        for (size_t i = 0; i < pool.size(); ++i) score[&pool[i]] = token_cosine(indexed.all_tokens, indexed.tokens[i]);
    } else if (options.strategy != "random") {
        // token_cosine against each shot, counted through the pool's index: one lookup per token.
        std::set<std::string> tokens = token_set(file_keys(file));
        std::vector<size_t> common(pool.size());
        for (const std::string& t : tokens)
            if (auto it = indexed.shots_with.find(t); it != indexed.shots_with.end())
                for (size_t i : it->second) ++common[i];
        for (size_t i = 0; i < pool.size(); ++i) {
            size_t sizes = tokens.size() * indexed.tokens[i].size();
            score[&pool[i]] = sizes == 0 ? 0.0 : static_cast<double>(common[i]) / std::sqrt(static_cast<double>(sizes));
        }
    }
    size_t want_m = static_cast<size_t>(options.misconfig_shots);
    size_t want_v = static_cast<size_t>(options.valid_shots);
    std::vector<const Shot*> picked_m, picked_v;
    if (options.strategy == "random") {
        std::mt19937_64 rng(options.seed ^ fnv1a(file.text));
        picked_m = random_pick(misconfig, want_m, rng);
        picked_v = random_pick(valid, want_v, rng);
    } else if (options.strategy == "stable") {
        picked_m = category_pick(misconfig, misconfig.size(), score);
        picked_v = by_similarity(valid, score);
        // Beyond the counts asked, more shots in the same order until the shots reach the
        // provider's minimum for caching a prefix; what is left over is dropped.
        size_t m = std::min(want_m, picked_m.size()), v = std::min(want_v, picked_v.size());
        // As ciri's template shows a shot: its config (raw or compact) and its answer. The
        // paper's template shows more (the question too), so this never counts too much.
        auto shown = [&](const Shot* s) {
            const std::string& config = options.compact && !s->compact_config.empty() ? s->compact_config : s->config;
            return config.size() + s->answer_json.size();
        };
        auto tokens = [&] {
            size_t bytes = 0;
            for (size_t i = 0; i < m; ++i) bytes += shown(picked_m[i]);
            for (size_t i = 0; i < v; ++i) bytes += shown(picked_v[i]);
            return (bytes + 3) / 4;
        };
        // Three misconfigured shots to one valid one, the paper's mix, while both last.
        while (tokens() < options.stable_min_tokens && (m < picked_m.size() || v < picked_v.size())) {
            if (v < picked_v.size() && (m == picked_m.size() || v * 3 < m)) ++v;
            else ++m;
        }
        picked_m.resize(m);
        picked_v.resize(v);
    } else {
        picked_m = options.strategy == "category" ? category_pick(misconfig, want_m, score)
                                                  : by_similarity(misconfig, score);
        picked_v = by_similarity(valid, score);
        picked_m.resize(std::min(picked_m.size(), want_m));
        picked_v.resize(std::min(picked_v.size(), want_v));
    }
    std::string system = pool.empty() ? file.system : pool.front().system;
    if (picked_m.size() < want_m)
        out.notes.push_back("only " + std::to_string(picked_m.size()) + " of " +
                            std::to_string(want_m) + " misconfiguration shots for " + system);
    if (picked_v.size() < want_v)
        out.notes.push_back("only " + std::to_string(picked_v.size()) + " of " +
                            std::to_string(want_v) + " valid shots for " + system);
    for (const Shot* s : picked_m) out.shots.push_back(*s);
    for (const Shot* s : picked_v) out.shots.push_back(*s);
    return out;
}

Expected<ShotSelection> select_from_pool(const ConfigFile& file, const std::vector<Shot>& pool,
                                         const SelectionOptions& options) {
    return select_from_pool(file, index_pool(pool), options);
}

Expected<ShotSelection> select_shots(const ConfigFile& file, const std::filesystem::path& dir,
                                     const SelectionOptions& options) {
    return ShotLibrary(dir).select(file, options);
}

}  // namespace ciri
