#include "tests/emulator/script.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ciri::emulator {
namespace {

std::runtime_error script_error(std::size_t rule, const std::string& what) {
    return std::runtime_error("script rule " + std::to_string(rule + 1) + ": " + what);
}

ScriptItem parse_item(std::size_t rule, const nlohmann::json& item) {
    if (!item.is_object()) throw script_error(rule, "each response must be an object");
    ScriptItem parsed;
    if (item.contains("answer")) {
        if (!item["answer"].is_string()) throw script_error(rule, "answer must be a string");
        parsed.answer = item["answer"].get<std::string>();
    }
    if (item.contains("fault")) {
        const auto& name = item["fault"];
        auto kind = name.is_string() ? parse_fault_kind(name.get<std::string>()) : std::nullopt;
        if (!kind) throw script_error(rule, "unknown fault " + name.dump());
        Fault fault{.kind = *kind};
        if (item.contains("retry_after")) {
            const auto& value = item["retry_after"];
            if (value.is_string()) {
                fault.retry_after = value.get<std::string>();
            } else if (value.is_number()) {
                fault.retry_after = std::to_string(value.get<long>());
            } else {
                throw script_error(rule, "retry_after must be seconds or an HTTP date");
            }
        }
        if (item.contains("delay_ms")) {
            if (!item["delay_ms"].is_number())
                throw script_error(rule, "delay_ms must be a number");
            fault.delay_ms = item["delay_ms"].get<long>();
        }
        parsed.fault = fault;
    }
    if (!parsed.answer && !parsed.fault) {
        throw script_error(rule, "a response needs \"answer\" or \"fault\"");
    }
    return parsed;
}

ScriptRule parse_rule(std::size_t index, const nlohmann::json& json) {
    if (!json.is_object()) throw script_error(index, "must be an object");
    ScriptRule rule;
    if (!json.contains("match") || !json["match"].is_string()) {
        throw script_error(index, "needs a string \"match\"");
    }
    rule.match = json["match"].get<std::string>();
    if (rule.match.size() >= 2 && rule.match.front() == '/' && rule.match.back() == '/') {
        try {
            rule.regex.emplace(rule.match.substr(1, rule.match.size() - 2));
        } catch (const std::regex_error& e) {
            throw script_error(index, "bad regex " + rule.match + ": " + e.what());
        }
    }
    for (const char* key : {"endpoint", "model"}) {
        if (!json.contains(key)) continue;
        if (!json[key].is_string())
            throw script_error(index, std::string(key) + " must be a string");
        (key == std::string_view("endpoint") ? rule.endpoint : rule.model) =
            json[key].get<std::string>();
    }
    if (rule.endpoint && *rule.endpoint != "openai" && *rule.endpoint != "anthropic" &&
        *rule.endpoint != "ollama") {
        throw script_error(index, "unknown endpoint '" + *rule.endpoint + "'");
    }
    if (!json.contains("responses") || !json["responses"].is_array() || json["responses"].empty()) {
        throw script_error(index, "needs a non-empty \"responses\" array");
    }
    for (const auto& item : json["responses"]) rule.responses.push_back(parse_item(index, item));
    std::string then = json.value("then", "repeat_last");
    if (then == "cycle") {
        rule.cycle = true;
    } else if (then != "repeat_last") {
        throw script_error(index, "then must be \"repeat_last\" or \"cycle\"");
    }
    return rule;
}

}  // namespace

Script::Script(const nlohmann::json& document) {
    if (!document.is_object()) throw std::runtime_error("script must be a JSON object");
    if (document.contains("rules")) {
        if (!document["rules"].is_array())
            throw std::runtime_error("script rules must be an array");
        for (const auto& rule : document["rules"])
            rules_.push_back(parse_rule(rules_.size(), rule));
    }
    if (document.contains("default")) {
        if (!document["default"].is_string()) {
            throw std::runtime_error("script default must be a string");
        }
        default_ = document["default"].get<std::string>();
    }
    consumed_.assign(rules_.size(), 0);
}

nlohmann::json Script::read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read script " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    auto document = nlohmann::json::parse(text.str(), nullptr, false);
    if (document.is_discarded())
        throw std::runtime_error("script " + path.string() + " is not JSON");
    return document;
}

std::optional<std::size_t> Script::find_rule(const ChatRequest& request) const {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const ScriptRule& rule = rules_[i];
        if (rule.endpoint && *rule.endpoint != endpoint_name(request.endpoint)) continue;
        if (rule.model && *rule.model != request.model) continue;
        bool found = rule.regex ? std::regex_search(request.prompt, *rule.regex)
                                : request.prompt.find(rule.match) != std::string::npos;
        if (found) return i;
    }
    return std::nullopt;
}

ScriptItem Script::next(std::size_t rule) {
    const ScriptRule& r = rules_.at(rule);
    std::size_t position;
    {
        std::lock_guard lock(mutex_);
        position = consumed_[rule]++;
    }
    if (r.cycle) return r.responses[position % r.responses.size()];
    return r.responses[std::min(position, r.responses.size() - 1)];
}

void Script::rewind() {
    std::lock_guard lock(mutex_);
    consumed_.assign(rules_.size(), 0);
}

}  // namespace ciri::emulator
