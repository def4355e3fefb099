#include "tests/emulator/wire_format.hpp"

#include <catch2/catch.hpp>

using namespace ciri::emulator;
using nlohmann::json;

namespace {

std::expected<json, WireError> parse(std::string body) {
    httplib::Request request;
    request.body = std::move(body);
    return parse_body(request);
}

}  // namespace

TEST_CASE("wire_format: parse_body reads what nlohmann reads, value for value", "[wire_format]") {
    std::string text = "tab\there \"quoted\" caf\xc3\xa9 \xf0\x9f\x98\x80 \\ \x01";
    json want = {{"model", "m"},
                 {"messages", json::array({{{"role", "user"}, {"content", text}}})},
                 {"n", 3},
                 {"temperature", 0.2},
                 {"big", 18446744073709551615ull},
                 {"negative", -5},
                 {"flag", true},
                 {"none", nullptr},
                 {"stop", json::array({"END", "###"})},
                 {"nested", {{"a", json::array({1, 2.5, json::object()})}}}};
    auto got = parse(want.dump());
    REQUIRE(got);
    CHECK(*got == want);
    CHECK((*got)["big"].is_number_unsigned());
    CHECK((*got)["n"].is_number_integer());
    CHECK((*got)["temperature"].is_number_float());
    // A key given twice keeps its last value, as nlohmann keeps it.
    CHECK((*parse(R"({"n": 1, "n": 2})"))["n"] == 2);
}

TEST_CASE("wire_format: parse_body refuses what nlohmann refuses, and reads past simdjson's limits",
          "[wire_format]") {
    auto bad = parse(R"({"model": "m",)");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().status == 400);
    CHECK(bad.error().message == "request body is not valid JSON");
    CHECK(parse("[1, 2]").error().message == "request body must be a JSON object");
    CHECK_FALSE(parse("{\"content\": \"\xff\"}"));  // not UTF-8
    // An integer past 64 bits: simdjson refuses it, nlohmann reads it as a double.
    auto huge = parse(R"({"max_tokens": 123456789012345678901234567890})");
    REQUIRE(huge);
    CHECK((*huge)["max_tokens"].is_number_float());
}
