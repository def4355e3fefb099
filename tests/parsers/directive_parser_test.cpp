#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_directives(std::string_view, const ParseLimits&);
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
constexpr auto parse_fn = &ciri::parse_directives;

}  // namespace

TEST_CASE("directives: redis.conf fixture", "[directives]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/directives/redis.conf"));
    REQUIRE(ps.size() == 21);
    auto includes = find_all(ps, "include");
    REQUIRE(includes.size() == 2);
    CHECK(includes[0]->value == "/etc/redis/local.conf");
    CHECK(includes[1]->line == 11);
    const auto& bind = find(ps, "bind");
    CHECK(bind.value == "127.0.0.1 -::1");
    CHECK(bind.line == 16);
    CHECK(bind.description ==
          "By default Redis listens for connections from all available network interfaces.");
    CHECK(find(ps, "protected-mode").description == "");
    auto saves = find_all(ps, "save");
    REQUIRE(saves.size() == 3);
    CHECK(saves[0]->value == "3600 1");
    CHECK(saves[0]->description == "Save the DB to disk.");
    CHECK(saves[1]->value == "300 100");
    CHECK(saves[1]->line == 27);
    CHECK(saves[2]->value == "60 10000");
    CHECK(saves[2]->line == 28);
    // Quotes are kept verbatim.
    CHECK(find(ps, "requirepass").value == "\"s3cret with spaces\"");
    CHECK(find(ps, "logfile").value == "\"\"");
    auto renames = find_all(ps, "rename-command");
    REQUIRE(renames.size() == 2);
    CHECK(renames[0]->value == "CONFIG \"\"");
    CHECK(find(ps, "maxmemory").value == "2gb");
    CHECK(find(ps, "maxmemory").line == 36);
    CHECK(find(ps, "notify-keyspace-events").value == "'Ex'");
    CHECK(find(ps, "client-output-buffer-limit").value == "pubsub 32mb 8mb 60");
    CHECK(find(ps, "lazyfree-lazy-eviction").value == "");
}

TEST_CASE("directives: quoting rules", "[directives]") {
    auto ps = parse_ok(parse_fn, 
        "requirepass \"a\\\"b\"\n"
        "masterauth 'it\\'s'\n"
        "hash-key a#b\n"
        "tls-ciphers \"x y\"   'z'\n"
        "bind\t10.0.0.1\t10.0.0.2\n");
    REQUIRE(ps.size() == 5);
    CHECK(ps[0].value == "\"a\\\"b\"");
    CHECK(ps[1].value == "'it\\'s'");
    CHECK(ps[2].value == "a#b");  // `#` inside a line is an argument, as in Redis
    CHECK(ps[3].value == "\"x y\"   'z'");
    CHECK(ps[4].value == "10.0.0.1\t10.0.0.2");
}

TEST_CASE("directives: unbalanced quotes are errors with their line", "[directives]") {
    auto e = parse_err(parse_fn, "port 6379\n# note\nrequirepass \"oops\n");
    CHECK(e.message == "unterminated quote");
    CHECK(e.line == 3);
    CHECK(parse_err(parse_fn, "a 'x\\\\'\n").message == "unterminated quote");  // in '...' \\ is no escape
    auto glued = parse_err(parse_fn, "port 1\nrequirepass \"a\"b\n");
    CHECK(glued.message == "closing quote must be followed by a space");
    CHECK(glued.line == 2);
}

TEST_CASE("directives: limits and garbage", "[directives]") {
    ciri::ParseLimits limits;
    limits.max_params = 3;
    std::string text;
    for (int i = 0; i < 4; ++i) text += "save 60 1\n";
    auto e = parse_err(parse_fn, text, limits);
    CHECK(e.message == "more than 3 parameters");
    CHECK(e.line == 4);
    check_garbage(parse_fn, "\"");
    check_garbage(parse_fn, "a \"\\");
    check_garbage(parse_fn, "a '\\");
    check_garbage(parse_fn, std::string(5000, '"'));
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, random_bytes(seed, 400, "ab \"'\\#\n\t"));
}
