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

TEST_CASE("append_utf8 encodes 1 to 4 bytes and replaces what is no code point", "[text]") {
    std::string s;
    for (uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) append_utf8(s, cp);
    CHECK(s == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    std::string bad;
    append_utf8(bad, 0xD800);
    append_utf8(bad, 0x110000);
    CHECK(bad == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("gather_hash_comment joins comment lines and a blank line clears them", "[text]") {
    std::string comment;
    CHECK(gather_hash_comment("## first", comment));
    CHECK(gather_hash_comment("#", comment));
    CHECK(gather_hash_comment("#  second ", comment));
    CHECK(comment == "first second");
    CHECK_FALSE(gather_hash_comment("key value # not a comment", comment));
    CHECK(comment == "first second");
    CHECK(gather_hash_comment("", comment));
    CHECK(comment.empty());
}

TEST_CASE("split_key_value splits at the first '=' only", "[text]") {
    std::string key, value = "kept";
    CHECK_FALSE(split_key_value("flag", key, value));
    CHECK(key == "flag");
    CHECK(value == "kept");
    CHECK(split_key_value("opt=a=b", key, value));
    CHECK(key == "opt");
    CHECK(value == "a=b");
    CHECK(split_key_value("empty=", key, value));
    CHECK(value.empty());
}
