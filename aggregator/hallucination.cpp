#include "aggregator/hallucination.hpp"

#include <cctype>
#include <optional>
#include <set>

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
    std::vector<std::string> normalized;
    std::vector<std::optional<std::string>> short_keys;
    for (const auto& p : params) {
        normalized.push_back(normalize_param_name(p.key));
        short_keys.push_back(without_section(p));
    }
    auto find = [&](const std::string& reported) -> std::optional<size_t> {
        for (size_t i = 0; i < params.size(); ++i)
            if (params[i].key == reported) return i;
        std::string n = normalize_param_name(reported);
        if (n.empty()) return std::nullopt;
        for (size_t i = 0; i < params.size(); ++i)
            if (normalized[i] == n) return i;
        // Section prefix on one side only: "port" vs file "mysqld.port", or the reverse when the
        // model invents a section the file's key does not carry.
        std::optional<size_t> hit;
        bool ambiguous = false;
        auto take = [&](size_t i) {
            if (hit && params[*hit].key != params[i].key) ambiguous = true;
            if (!hit) hit = i;
        };
        for (size_t i = 0; i < params.size(); ++i) {
            if (short_keys[i] && *short_keys[i] == n) take(i);
            if (n.size() > normalized[i].size() + 1 && n.ends_with(normalized[i]) &&
                n[n.size() - normalized[i].size() - 1] == '.' && !params[i].section.empty() &&
                n.starts_with(normalize_param_name(params[i].section) + "."))
                take(i);
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

    GroundedAnswer out;
    out.answer.shape = answer.shape;
    std::set<size_t> used;
    for (size_t k = 0; k < answer.params.size(); ++k) {
        std::vector<size_t> hits;
        if (auto hit = find(answer.params[k])) hits.push_back(*hit);
        else hits = under(answer.params[k]);
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
