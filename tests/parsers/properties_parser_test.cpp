#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_properties(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::find_all;
using ciri::test::random_bytes;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
using ciri::test::parse_err;
using ciri::test::check_garbage;
constexpr auto parse_fn = &ciri::parse_properties;

}  // namespace

TEST_CASE("properties: zoo.cfg fixture", "[properties]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/properties/zoo.cfg"));
    REQUIRE(ps.size() == 11);
    CHECK(ps[0].key == "tickTime");
    CHECK(ps[0].value == "2000");
    CHECK(ps[0].line == 2);
    CHECK(ps[0].description == "The number of milliseconds of each tick");
    CHECK(find(ps, "initLimit").description ==
          "The number of ticks that the initial synchronization phase can take");
    CHECK(find(ps, "syncLimit").description == "");
    // `#maxClientCnxns=60` is a switched-off setting, not a description.
    CHECK(find(ps, "autopurge.snapRetainCount").description == "");
    CHECK(find(ps, "server.2").value == "zoo2.example.com:2888:3888");
    CHECK(find(ps, "4lw.commands.whitelist").value == "stat, ruok, conf, isro");
}

TEST_CASE("properties: alluxio-site.properties fixture", "[properties]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/properties/alluxio-site.properties"));
    REQUIRE(ps.size() == 12);
    CHECK(ps[0].description == "Common properties");
    // `:` and whitespace separators.
    CHECK(find(ps, "alluxio.worker.ramdisk.size").value == "16GB");
    CHECK(find(ps, "alluxio.worker.ramdisk.size").description == "Worker properties");
    CHECK(find(ps, "alluxio.worker.tieredstore.levels").value == "2");
    // Continuation: joined, leading blanks of the next lines dropped, line of the first.
    const auto& dirs = find(ps, "alluxio.worker.tieredstore.level0.dirs.path");
    CHECK(dirs.value == "/mnt/ramdisk,/mnt/ssd1,/mnt/ssd2");
    CHECK(dirs.line == 13);
    CHECK(find(ps, "alluxio.user.file.writetype.default").line == 16);
    // Java keeps trailing blanks of a value.
    CHECK(find(ps, "alluxio.user.file.writetype.default").value == "CACHE_THROUGH   ");
    CHECK(find(ps, "alluxio.master.journal.folder").value == "${alluxio.work.dir}/journal");
    CHECK(find(ps, "alluxio.security.login.username").value == "");
    // Keys are unescaped, values are kept as written.
    CHECK(find(ps, "key with spaces").value == "v");
    CHECK(find(ps, "tab\tkey\xC3\xA9").value == "caf\\u00e9");
    CHECK(find(ps, "alluxio.underfs.windows.path").value == "C:\\\\alluxio\\\\ufs");
    auto hosts = find_all(ps, "alluxio.master.hostname");
    REQUIRE(hosts.size() == 2);
    CHECK(hosts[0]->line == 7);
    CHECK(hosts[1]->line == 22);
    CHECK(hosts[1]->value == "master2.example.com");
}

TEST_CASE("properties: separators and escapes in keys", "[properties]") {
    auto ps = parse_ok(parse_fn, 
        "a=1\n"
        "b = 2\n"
        "c:3\n"
        "d    4\n"
        "e\n"
        "f=\n"
        "g\\=h=5\n"
        "i\\:j:6\n"
        "k = = 7\n"
        "  \t indented=8\n"
        "\\u0041\\u00DF\\uD83D\\uDE00=9\n"
        "url=http://example.com:80/a#b\n");
    REQUIRE(ps.size() == 12);
    CHECK(ps[0].value == "1");
    CHECK(ps[1].value == "2");
    CHECK(ps[2].value == "3");
    CHECK(ps[3].key == "d");
    CHECK(ps[3].value == "4");
    CHECK(ps[4].key == "e");
    CHECK(ps[4].value == "");
    CHECK(ps[5].value == "");
    CHECK(ps[6].key == "g=h");
    CHECK(ps[7].key == "i:j");
    CHECK(ps[8].value == "= 7");
    CHECK(ps[9].key == "indented");
    CHECK(ps[10].key == "A\xC3\x9F\xF0\x9F\x98\x80");
    CHECK(ps[11].value == "http://example.com:80/a#b");
}

TEST_CASE("properties: continuation details", "[properties]") {
    auto ps = parse_ok(parse_fn, "a=one\\\n    two\\\\\nb=x\\\\\\\n  y\nlong\\\n  key=v\nlast=z\\");
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].value == "onetwo\\\\");  // an even number of backslashes does not continue
    CHECK(ps[1].value == "x\\\\y");
    CHECK(ps[1].line == 3);
    CHECK(ps[2].key == "longkey");
    CHECK(ps[2].line == 5);
    CHECK(ps[3].value == "z");  // a final continuation at the end of the file continues nothing
    // Comment lines are never continued; a continued line is never a comment.
    auto c = parse_ok(parse_fn, "# comment \\\nk=v\\\n#not a comment\n");
    REQUIRE(c.size() == 1);
    CHECK(c[0].value == "v#not a comment");
    CHECK(c[0].description == "comment \\");
}

TEST_CASE("properties: malformed \\u escapes are errors with the line", "[properties]") {
    auto e = parse_err(parse_fn, "a=1\nb\\u12G4=2\n");
    CHECK(e.message == "malformed \\uxxxx escape");
    CHECK(e.line == 2);
    CHECK(parse_err(parse_fn, "a=1\n\nb=\\u12\n").line == 3);
}

TEST_CASE("properties: limits and garbage", "[properties]") {
    ciri::ParseLimits limits;
    limits.max_params = 2;
    auto e = parse_err(parse_fn, "a=1\nb=2\nc=3\n", limits);
    CHECK(e.message == "more than 2 parameters");
    CHECK(e.line == 3);
    check_garbage(parse_fn, "\\");
    check_garbage(parse_fn, "\\u");
    check_garbage(parse_fn, "=\n:\n\\\n\\\\\n");
    check_garbage(parse_fn, std::string(10000, '\\'));
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, random_bytes(seed, 400, "=:# !\\u0aF\n\t x"));
}
