#include "tests/emulator/wire_format.hpp"

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

std::expected<nlohmann::json, WireError> parse_body(const httplib::Request& request) {
    auto body = nlohmann::json::parse(request.body, nullptr, false);
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
