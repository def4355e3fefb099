#include "parsers/reader.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace ciri;
using namespace std::string_literals;

namespace {
fs::path write_temp(const std::string& name, const std::string& bytes) {
    fs::path p = fs::temp_directory_path() / ("ciri-reader-" + name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}
}  // namespace

TEST_CASE("decode_text drops a UTF-8 BOM", "[reader]") {
    auto t = decode_text("\xEF\xBB\xBFkey=1\n");
    REQUIRE(t);
    CHECK(*t == "key=1\n");
}

TEST_CASE("decode_text turns CRLF and lone CR into LF, keeping line count", "[reader]") {
    auto t = decode_text("a=1\r\nb=2\rc=3\r\n");
    REQUIRE(t);
    CHECK(*t == "a=1\nb=2\nc=3\n");
}

TEST_CASE("decode_text rejects binary data with the line of the NUL byte", "[reader]") {
    auto t = decode_text("a=1\nb=2\n\x01\x02\0\x03"s);
    REQUIRE_FALSE(t);
    CHECK(t.error().message.find("binary") != std::string::npos);
    CHECK(t.error().line == 3);
}

TEST_CASE("decode_text rejects UTF-16", "[reader]") {
    auto t = decode_text("\xFF\xFEk\0=\0"s);
    REQUIRE_FALSE(t);
    CHECK(t.error().message.find("UTF-16") != std::string::npos);
}

TEST_CASE("decode_text rejects invalid UTF-8 with its line and accepts valid multibyte text", "[reader]") {
    auto bad = decode_text("name=ok\nother=caf\xE9\n");  // Latin-1 e-acute
    REQUIRE_FALSE(bad);
    CHECK(bad.error().line == 2);
    CHECK(bad.error().message.find("UTF-8") != std::string::npos);
    CHECK_FALSE(decode_text("x=\xC0\xAF\n"));          // overlong '/'
    CHECK_FALSE(decode_text("x=\xED\xA0\x80\n"));      // surrogate
    auto good = decode_text("name=caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80\n");
    REQUIRE(good);
}

TEST_CASE("read_text_file enforces the size limit before reading", "[reader]") {
    auto p = write_temp("big.conf", std::string(2048, 'a'));
    auto small = read_text_file(p, 1024);
    REQUIRE_FALSE(small);
    CHECK(small.error().path == p.string());
    CHECK(small.error().message.find("--max-size") != std::string::npos);
    CHECK(read_text_file(p, 4096));
    fs::remove(p);
}

TEST_CASE("read_text_file reports missing files and directories with the path", "[reader]") {
    auto missing = read_text_file("/nonexistent/ciri/file.conf");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().path == "/nonexistent/ciri/file.conf");
    auto dir = read_text_file(fs::temp_directory_path());
    REQUIRE_FALSE(dir);
    CHECK(dir.error().message.find("directory") != std::string::npos);
}

TEST_CASE("read_at_most stops one byte past the limit", "[reader]") {
    std::istringstream big(std::string(10000, 'z'));
    CHECK(read_at_most(big, 100).size() == 101);
    CHECK(big.tellg() == 101);  // nothing further was taken from the stream
    std::istringstream exact(std::string(100, 'z'));
    CHECK(read_at_most(exact, 100).size() == 100);
    std::istringstream large(std::string(200000, 'z'));
    CHECK(read_at_most(large, 150000).size() == 150001);
    std::istringstream empty("");
    CHECK(read_at_most(empty, 100).empty());
}

TEST_CASE("whole-file errors point at line 1", "[reader]") {
    auto utf16 = decode_text("\xFE\xFF\0k"s);
    REQUIRE_FALSE(utf16);
    CHECK(utf16.error().line == 1);
    auto utf32 = decode_text("\0\0\xFE\xFF\0\0\0k"s);
    REQUIRE_FALSE(utf32);
    CHECK(utf32.error().message.find("UTF-32") != std::string::npos);
    CHECK(utf32.error().line == 1);
    auto utf32le = decode_text("\xFF\xFE\0\0k\0\0\0"s);
    REQUIRE_FALSE(utf32le);
    CHECK(utf32le.error().message.find("UTF-32") != std::string::npos);
    auto p = write_temp("big2.conf", std::string(2048, 'a'));
    auto big = read_text_file(p, 1024);
    REQUIRE_FALSE(big);
    CHECK(big.error().format().starts_with(p.string() + ":1: error:"));
    fs::remove(p);
}
