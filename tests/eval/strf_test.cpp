#include "eval/strf.hpp"

#include <catch2/catch.hpp>

using ciri::strf;

TEST_CASE("strf formats like printf, of any length", "[strf]") {
    CHECK(strf("%.3f|%5s|%-3d|", 0.5, "ab", 7) == "0.500|   ab|7  |");
    CHECK(strf("%s", std::string(5000, 'x').c_str()).size() == 5000);
    CHECK(strf("plain") == "plain");
}
