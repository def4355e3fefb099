#include "aggregator/answer.hpp"

#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "aggregator/literal.hpp"

namespace ciri {
namespace {

bool is_answer_object(const nlohmann::json& v) {
    return v.is_object() &&
           (v.contains("hasError") || v.contains("errParameter") || v.contains("reason"));
}

// Reads a list field keeping non-strings as their literal text, so the check can reject them.
void read_list(const nlohmann::json& obj, const char* key, std::vector<std::string>& out,
               bool& is_list, std::vector<size_t>& non_strings) {
    auto it = obj.find(key);
    if (it == obj.end()) {
        is_list = false;
        return;
    }
    auto item = [&](const nlohmann::json& v) {
        if (v.is_string()) {
            out.push_back(v.get<std::string>());
        } else {
            non_strings.push_back(out.size());
            out.push_back(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));  // bytes of any kind
        }
    };
    if (it->is_array()) {
        for (const auto& v : *it) item(v);
    } else {
        is_list = false;
        if (!it->is_null()) item(*it);
    }
}

Answer to_answer(const nlohmann::json& obj) {
    Answer a;
    auto he = obj.find("hasError");
    if (he != obj.end() && he->is_boolean()) {
        a.has_error = he->get<bool>();
    } else {
        a.shape.has_error_bool = false;
    }
    read_list(obj, "errParameter", a.params, a.shape.params_list, a.shape.non_string_params);
    read_list(obj, "reason", a.reasons, a.shape.reasons_list, a.shape.non_string_reasons);
    return a;
}

// Tries every '{' of `text` in order; the literal reader decides where an object ends, so
// apostrophes in surrounding prose never confuse brace matching.
std::optional<Answer> first_answer(std::string_view text) {
    for (size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
        size_t pos = at;
        auto v = read_literal(text, pos);
        if (v && is_answer_object(*v)) return to_answer(*v);
    }
    return std::nullopt;
}

}  // namespace

Expected<Answer> extract_answer(std::string_view text) {
    // Fenced blocks first: prose may quote the question's own `{hasError, ...}` template.
    size_t pos = 0;
    while (true) {
        size_t open = text.find("```", pos);
        if (open == std::string_view::npos) break;
        size_t body = text.find('\n', open);
        if (body == std::string_view::npos) break;
        size_t close = text.find("```", body);
        std::string_view block = text.substr(
            body, close == std::string_view::npos ? std::string_view::npos : close - body);
        if (auto a = first_answer(block)) return *a;
        if (close == std::string_view::npos) break;
        pos = close + 3;
    }
    if (auto a = first_answer(text)) return *a;
    return fail("no answer object found");
}

Expected<void> check_answer(const Answer& a, const CheckRules& rules) {
    if (!a.shape.has_error_bool) return fail("hasError is missing or not a boolean");
    if (!a.shape.params_list) return fail("errParameter is missing or not a list");
    if (!a.shape.reasons_list) return fail("reason is missing or not a list");
    if (!a.has_error) {
        if (!a.params.empty()) return fail("hasError is false but errParameter is not empty");
        if (!a.reasons.empty()) return fail("hasError is false but reason is not empty");
        return {};
    }
    if (a.params.empty()) return fail("hasError is true but errParameter is empty");
    if (!a.shape.non_string_params.empty())
        return fail("errParameter item " + std::to_string(a.shape.non_string_params[0] + 1) +
                    " is not a string");
    if (!a.shape.non_string_reasons.empty())
        return fail("reason item " + std::to_string(a.shape.non_string_reasons[0] + 1) +
                    " is not a string");
    if (rules.unique_params) {
        std::set<std::string_view> seen;
        for (const auto& p : a.params)
            if (!seen.insert(p).second) return fail("errParameter repeats '" + p + "'");
    }
    if (rules.reason_per_param && a.reasons.size() != a.params.size())
        return fail("errParameter has " + std::to_string(a.params.size()) +
                    " items but reason has " + std::to_string(a.reasons.size()));
    return {};
}

}  // namespace ciri
