#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "ciri/backends/json_text.hpp"

using namespace ciri;
using nlohmann::json;

namespace {

// What json::dump() writes for `s`, or "throws" when it refuses it.
std::string by_nlohmann(const std::string& s) {
    try {
        return json(s).dump();
    } catch (const json::type_error&) {
        return "throws";
    }
}

std::string by_ciri(std::initializer_list<std::string_view> parts) {
    std::string out = "x";  // appended to, not overwritten
    try {
        append_json_string(out, parts);
    } catch (const json::type_error&) {
        return "throws";
    }
    REQUIRE(out.front() == 'x');
    return out.substr(1);
}

std::string hex(const std::string& s) {
    std::string out;
    for (unsigned char c : s) out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
    return out;
}

}  // namespace

TEST_CASE("json_text: the same bytes as nlohmann's dump on quotes, controls and UTF-8", "[json_text]") {
    for (std::string s : {std::string(""), std::string("plain"), std::string("a \"quoted\" \\ path"),
                          std::string("tab\tnew\nline\rback\bfeed\f"), std::string("nul\0x\x01\x1f\x7f", 9),
                          std::string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::string("</script>")}) {
        CAPTURE(s);
        CHECK(by_ciri({s}) == by_nlohmann(s));
    }
}

TEST_CASE("json_text: invalid UTF-8 throws as dump does; parts join into one string", "[json_text]") {
    for (std::string s : {std::string("\xff"), std::string("a\xc3"), std::string("\xc0\xaf"),
                          std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82")}) {
        CAPTURE(s);
        CHECK(by_nlohmann(s) == "throws");
        CHECK(by_ciri({s}) == "throws");
    }
    CHECK(by_ciri({"pre\"fix\n", "", "body \xc3\xa9"}) == by_nlohmann("pre\"fix\n" "body \xc3\xa9"));
    // A character cut between two parts is still one well-formed character once joined.
    CHECK(by_ciri({"caf\xc3", "\xa9"}) == by_nlohmann("caf\xc3\xa9"));
}

TEST_CASE("json_text: random bytes give dump's bytes or dump's refusal", "[json_text]") {
    std::mt19937 rng(7);
    // Bytes drawn mostly from the interesting ranges: controls, quotes, ASCII, UTF-8 leads.
    const std::string alphabet = std::string("\x00\x01\x1f\"\\\n\tazAZ09 \x7f", 15) +
                                 "\xc2\xc3\xdf\xe0\xe2\xed\xef\xf0\xf4\xf5\xff\x80\x8f\x90\x9f\xa0\xbf";
    int same = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s(rng() % 12, ' ');
        for (char& c : s) c = alphabet[rng() % alphabet.size()];
        if (by_ciri({s}) == by_nlohmann(s)) ++same;
        else FAIL_CHECK("differs on the bytes " << hex(s));
    }
    CHECK(same == 20000);
}
