#include "aggregator/hallucination.hpp"

#include <cctype>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace ciri {
namespace {

bool is_separator(char c) {
    // Brackets too: "[mysqld] port" names the INI key "mysqld.port".
    return c == '.' || c == '_' || c == '-' || c == ' ' || c == '/' || c == ':' || c == '\t' ||
           c == '[' || c == ']';
}

// Drops the section or scope prefix ("mysqld.port" under section "mysqld" -> "port").
std::optional<std::string> without_section(const Parameter& p) {
    if (p.section.empty()) return std::nullopt;
    std::string key = normalize_param_name(p.key);
    std::string section = normalize_param_name(p.section);
    if (section.empty() || key.size() <= section.size() + 1) return std::nullopt;
    if (!key.starts_with(section) || key[section.size()] != '.') return std::nullopt;
    return key.substr(section.size() + 1);
}

}  // namespace

std::string normalize_param_name(std::string_view name) {
    // "max_connections = 100" names the parameter, not a new one.
    size_t eq = name.find('=');
    if (eq != std::string_view::npos && eq > 0) name = name.substr(0, eq);
    std::string out;
    bool pending_sep = false;
    for (char c : name) {
        if (c == '\'' || c == '"' || c == '`') continue;
        if (is_separator(c)) {
            pending_sep = true;
            continue;
        }
        if (pending_sep && !out.empty()) out += '.';
        pending_sep = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

GroundedAnswer filter_hallucinations(const Answer& answer, const ConfigFile& file) {
    const auto& params = file.params;
    // Indexes built once, so grounding costs the file's size plus the answer's, not their
    // product. Each kind of match keeps its first parameter (file order), and a Group also
    // whether it matched keys other than that first one's (then the name is ambiguous).
    struct Group {
        size_t first;
        bool mixed = false;
    };
    auto add_to = [&](std::unordered_map<std::string, Group>& index, std::string name, size_t i) {
        auto [it, fresh] = index.try_emplace(std::move(name), Group{i});
        if (!fresh && params[it->second.first].key != params[i].key) it->second.mixed = true;
    };
    // The exact index is built on the first lookup and the others on the first name that is
    // not a key as written: models mostly name keys exactly, and building costs.
    std::unordered_map<std::string_view, size_t> by_key;
    std::unordered_map<std::string, size_t> by_normalized;
    std::vector<std::string> normalized;  // normalize_param_name(params[i].key), for prefix matches
    std::unordered_map<std::string, Group> by_short_key;
    // For parameters with a section: (normalized section + ".\x1f" + normalized key) -> group,
    // and the normalized sections (with their '.') a reported name may start with.
    std::unordered_map<std::string, Group> by_section_and_key;
    std::unordered_set<std::string> sections;
    bool exact_built = false, normalized_built = false;
    auto build_exact = [&] {
        exact_built = true;
        by_key.reserve(params.size());
        for (size_t i = 0; i < params.size(); ++i) by_key.try_emplace(params[i].key, i);
    };
    auto build_normalized = [&] {
        normalized_built = true;
        by_normalized.reserve(params.size());
        normalized.reserve(params.size());
        for (size_t i = 0; i < params.size(); ++i) {
            const auto& p = params[i];
            std::string key_normalized = normalize_param_name(p.key);
            if (auto short_key = without_section(p)) add_to(by_short_key, std::move(*short_key), i);
            if (!p.section.empty()) {
                std::string section = normalize_param_name(p.section) + ".";
                if (section.size() > 1) add_to(by_section_and_key, section + '\x1f' + key_normalized, i);
                sections.insert(std::move(section));
            }
            by_normalized.try_emplace(key_normalized, i);
            normalized.push_back(std::move(key_normalized));
        }
    };
    auto find = [&](const std::string& reported) -> std::optional<size_t> {
        if (!exact_built) build_exact();
        if (auto it = by_key.find(reported); it != by_key.end()) return it->second;
        std::string n = normalize_param_name(reported);
        if (n.empty()) return std::nullopt;
        if (!normalized_built) build_normalized();
        if (auto it = by_normalized.find(n); it != by_normalized.end()) return it->second;
        // Section prefix on one side only: "port" vs file "mysqld.port", or the reverse when the
        // model invents a section the file's key does not carry.
        std::optional<size_t> hit;
        bool ambiguous = false;
        auto take = [&](const Group& g) {
            if (g.mixed || (hit && params[*hit].key != params[g.first].key)) ambiguous = true;
            if (!hit || g.first < *hit) hit = g.first;
        };
        if (auto it = by_short_key.find(n); it != by_short_key.end()) take(it->second);
        // "<section>.<...>.<key>": a '.' of the name ends a section of the file, and any
        // '.' may start the file's key.
        for (size_t end = n.find('.'); end != std::string::npos; end = n.find('.', end + 1)) {
            std::string section = n.substr(0, end + 1);
            if (!sections.contains(section)) continue;
            for (size_t dot = n.find('.'); dot != std::string::npos; dot = n.find('.', dot + 1))
                if (auto it = by_section_and_key.find(section + '\x1f' + n.substr(dot + 1)); it != by_section_and_key.end())
                    take(it->second);
        }
        if (ambiguous) return std::nullopt;
        return hit;
    };
    // A name that is a prefix of file keys names their block or list: "log-outputs" for
    // "log-outputs[0]", "zero_optimization" for "zero_optimization.stage".
    auto under = [&](const std::string& reported) {
        std::vector<size_t> hits;
        std::string n = normalize_param_name(reported);
        if (n.empty()) return hits;
        if (!normalized_built) build_normalized();
        // The prefix must end where the key's structure does ('.' or '['), so "zero" does
        // not name "zero_optimization.stage".
        for (size_t i = 0; i < params.size(); ++i) {
            if (normalized[i].size() <= n.size() + 1 || !normalized[i].starts_with(n)) continue;
            const std::string& key = params[i].key;
            for (size_t j = key.find_first_of(".["); j != std::string::npos; j = key.find_first_of(".[", j + 1))
                if (normalize_param_name(key.substr(0, j)) == n) {
                    hits.push_back(i);
                    break;
                }
        }
        return hits;
    };
    // An entry of an environment list named by its variable: "NCCL_IB_HCA" for a pod's
    // "containers[0].env[2].value" whose sibling "...env[2].name" is NCCL_IB_HCA.
    auto env_entry = [&](const std::string& reported) {
        std::vector<size_t> hits;
        if (!exact_built) build_exact();
        for (const auto& p : params) {
            if (!p.key.ends_with("].name") || p.key.find("env[") == std::string::npos) continue;
            std::string v = p.value;
            if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
            if (v != reported) continue;
            if (auto it = by_key.find(p.key.substr(0, p.key.size() - 4) + "value"); it != by_key.end()) hits.push_back(it->second);
        }
        return hits;
    };

    GroundedAnswer out;
    out.answer.shape = answer.shape;
    std::set<size_t> used;
    for (size_t k = 0; k < answer.params.size(); ++k) {
        std::vector<size_t> hits;
        if (auto hit = find(answer.params[k])) hits.push_back(*hit);
        else hits = under(answer.params[k]);
        if (hits.empty()) hits = env_entry(answer.params[k]);
        if (hits.empty()) {
            out.dropped.push_back(answer.params[k]);
            continue;
        }
        for (size_t hit : hits) {
            if (!used.insert(hit).second) continue;
            out.answer.params.push_back(params[hit].key);
            out.matched.push_back(params[hit]);
            if (k < answer.reasons.size()) out.answer.reasons.push_back(answer.reasons[k]);
        }
    }
    // Shape indices pointed into the old lists; after renaming every kept item is a string.
    out.answer.shape.non_string_params.clear();
    out.answer.shape.non_string_reasons.clear();
    out.answer.has_error = answer.has_error && !out.answer.params.empty();
    if (!out.answer.has_error) out.answer.reasons.clear();
    return out;
}

GroundedAnswer ungrounded(const Answer& answer) {
    GroundedAnswer out;
    out.answer = answer;
    for (const auto& p : answer.params) out.matched.push_back(Parameter{.key = p});
    return out;
}

}  // namespace ciri
