#include "aggregator/literal.hpp"

#include <catch2/catch.hpp>

using ciri::parse_literal;
using ciri::read_literal;

TEST_CASE("literal: JSON values", "[literal]") {
    auto v = parse_literal(R"({"a": [1, -2.5, true, false, null], "b": "x\"y\\z\u00e9"})");
    REQUIRE(v);
    CHECK((*v)["a"][0] == 1);
    CHECK((*v)["a"][1] == -2.5);
    CHECK((*v)["a"][2] == true);
    CHECK((*v)["a"][4].is_null());
    CHECK((*v)["b"] == "x\"y\\z\xc3\xa9");
}

TEST_CASE("literal: Python style with escapes and mixed quotes", "[literal]") {
    auto v = parse_literal(
        R"({'hasError': True, 'errParameter': ['p'], 'reason': ["it's '9.9'", 'don\'t \\ \x41\n', None, (1, 2,),]})");
    REQUIRE(v);
    CHECK((*v)["hasError"] == true);
    CHECK((*v)["reason"][0] == "it's '9.9'");
    CHECK((*v)["reason"][1] == "don't \\ A\n");
    CHECK((*v)["reason"][2].is_null());
    CHECK((*v)["reason"][3] == nlohmann::json::array({1, 2}));
}

TEST_CASE("literal: Python escapes it keeps or decodes", "[literal]") {
    CHECK(*parse_literal(R"('\d\q')") == "\\d\\q");  // unknown escapes stay verbatim
    CHECK(*parse_literal(R"('\101\0')") == std::string("A\0", 2));
    CHECK(*parse_literal(R"('\U0001F600')") == "\xF0\x9F\x98\x80");
    CHECK(*parse_literal(R"("\ud83d\ude00")") == "\xF0\x9F\x98\x80");
    CHECK(*parse_literal(R"('a' "b" 'c')") == "abc");
    CHECK(*parse_literal("'''it's\nlong'''") == "it's\nlong");
}

TEST_CASE("literal: bare keys and words", "[literal]") {
    auto v = parse_literal("{hasError: false, errParameter: [], reason: []}");
    REQUIRE(v);
    CHECK((*v)["hasError"] == false);
    CHECK(!parse_literal("{'a': maybe}"));
}

TEST_CASE("literal: read_literal stops after the value", "[literal]") {
    std::string text = "{'a': 1} and then prose";
    size_t pos = 0;
    auto v = read_literal(text, pos);
    REQUIRE(v);
    CHECK(pos == 8);
    CHECK(!parse_literal(text));
}

TEST_CASE("literal: errors say what and where", "[literal]") {
    size_t pos = 0;
    std::string text = "{'a':\n 'unterminated}";
    auto v = read_literal(text, pos);
    REQUIRE(!v);
    CHECK(v.error().message == "unterminated string");
    CHECK(v.error().line == 2);
    CHECK(pos == 0);
    CHECK(parse_literal("{'a' 1}").error().message == "expected ':' after a dict key");
    CHECK(parse_literal("[1 2]").error().message == "expected ',' or ']' in a list");
    CHECK(!parse_literal(std::string(100, '[') + std::string(100, ']')));
    CHECK(parse_literal(std::string(60, '[') + std::string(60, ']')));
}
