#include "parsers/text.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("split_lines numbers lines from 1 and keeps an unterminated last line", "[text]") {
    auto lines = split_lines("a\n\nc");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].text == "a");
    CHECK(lines[1].text.empty());
    CHECK(lines[2].number == 3);
    CHECK(split_lines("a\n").size() == 1);
    CHECK(split_lines("").empty());
}

TEST_CASE("trim, strip_quotes and to_lower", "[text]") {
    CHECK(trim(" \t x y \t") == "x y");
    CHECK(trim("   ").empty());
    CHECK(is_blank(" \t"));
    CHECK(strip_quotes("'read committed'") == "read committed");
    CHECK(strip_quotes("\"x\"") == "x");
    CHECK(strip_quotes("'x\"") == "'x\"");
    CHECK(strip_quotes("'") == "'");
    CHECK(to_lower("MaxMemory") == "maxmemory");
}
