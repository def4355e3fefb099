#include "tests/emulator/wire_format.hpp"

#include <simdjson.h>

namespace ciri::emulator {

bool content_text(const nlohmann::json& content, std::string& out) {
    if (content.is_string()) {
        out += content.get<std::string>();
        return true;
    }
    if (content.is_null()) return true;
    if (!content.is_array()) return false;
    for (const auto& block : content) {
        if (!block.is_object()) return false;
        auto text = block.find("text");
        if (text != block.end() && text->is_string()) out += text->get<std::string>();
    }
    return true;
}

namespace {

// simdjson's tree as nlohmann's, which the wire formats read.
nlohmann::json to_json(simdjson::dom::element e) {
    using T = simdjson::dom::element_type;
    switch (e.type()) {
        case T::OBJECT: {
            nlohmann::json out = nlohmann::json::object();
            for (auto field : simdjson::dom::object(e)) out[std::string(field.key)] = to_json(field.value);
            return out;
        }
        case T::ARRAY: {
            nlohmann::json out = nlohmann::json::array();
            for (auto item : simdjson::dom::array(e)) out.push_back(to_json(item));
            return out;
        }
        case T::STRING: return std::string(std::string_view(e));
        case T::INT64: return int64_t(e);
        case T::UINT64: return uint64_t(e);
        case T::DOUBLE: return double(e);
        case T::BOOL: return bool(e);
        case T::NULL_VALUE: return nullptr;
    }
    return nullptr;
}

// Bodies of 10-15 KB arrive thousands of times a second in the throughput benchmark:
// nlohmann's lexer took 40% of the emulator's CPU there, simdjson a tenth of that.
std::optional<nlohmann::json> parse_fast(const std::string& text) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) return std::nullopt;
    return to_json(root);
}

}  // namespace

std::expected<nlohmann::json, WireError> parse_body(const httplib::Request& request) {
    // What simdjson refuses (malformed JSON, integers past 64 bits) nlohmann judges, as before.
    auto fast = parse_fast(request.body);
    auto body = fast ? std::move(*fast) : nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded()) return invalid("request body is not valid JSON");
    if (!body.is_object()) return invalid("request body must be a JSON object");
    return body;
}

bool stop_sequences(const nlohmann::json& value, std::vector<std::string>& out) {
    if (value.is_null()) return true;
    if (value.is_string()) {
        out.push_back(value.get<std::string>());
        return true;
    }
    if (!value.is_array()) return false;
    for (const auto& item : value) {
        if (!item.is_string()) return false;
        out.push_back(item.get<std::string>());
    }
    return true;
}

}  // namespace ciri::emulator
