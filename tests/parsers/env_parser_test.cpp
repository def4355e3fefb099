#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_env(std::string_view, const ParseLimits&);
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
constexpr auto parse_fn = &ciri::parse_env;

}  // namespace

TEST_CASE("env: app.env fixture", "[env]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/env/app.env"));
    REQUIRE(ps.size() == 13);
    CHECK(ps[0].key == "APP_ENV");
    CHECK(ps[0].value == "production");
    CHECK(ps[0].line == 3);
    CHECK(ps[0].description ==
          "Application settings loaded by docker compose and by `set -a; . ./app.env`");
    CHECK(find(ps, "DATABASE_URL").value == "postgres://app:secret@db:5432/app");
    const auto& nccl = find(ps, "NCCL_DEBUG");
    CHECK(nccl.value == "INFO");
    CHECK(nccl.description == "verbose NCCL logs");
    // Quotes are kept as written; `#` inside quotes or inside a word is no comment.
    CHECK(find(ps, "GREETING").value == "\"hello world\"");
    CHECK(find(ps, "SINGLE").value == "'it is # not a comment'");
    CHECK(find(ps, "HASH_IN_VALUE").value == "abc#def");
    CHECK(find(ps, "EMPTY").value == "");
    CHECK(find(ps, "EMPTY_QUOTED").value == "\"\"");
    CHECK(find(ps, "SPACED").value == "value with spaces");
    CHECK(find(ps, "spring.profiles.active").value == "prod");
    const auto& key = find(ps, "PRIVATE_KEY");
    CHECK(key.line == 14);
    CHECK(key.value ==
          "\"-----BEGIN KEY-----\n"
          "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
          "-----END KEY-----\"");
    CHECK(find(ps, "PATH_EXTRA").value == "\"$HOME/bin:\\\"quoted\\\"\"");
    CHECK(find(ps, "PATH_EXTRA").line == 17);
    // `export A B` assigns nothing; the later assignment is a duplicate kept in order.
    auto app = find_all(ps, "APP_ENV");
    REQUIRE(app.size() == 2);
    CHECK(app[1]->value == "staging");
    CHECK(app[1]->line == 19);
}

TEST_CASE("env: comments and quotes", "[env]") {
    auto ps = parse_ok(parse_fn, 
        "A= # empty with a comment\n"
        "B=x # c1\n"
        "C=\"a # b\" # c2\n"
        "D=a\\ #b\n"
        "E='multi\n"
        "line'\n"
        "export F=1\n"
        "G=\"esc\\\"aped # still\" tail\n");
    REQUIRE(ps.size() == 7);
    CHECK(ps[0].value == "");
    CHECK(ps[0].description == "empty with a comment");
    CHECK(ps[1].value == "x");
    CHECK(ps[1].description == "c1");
    CHECK(ps[2].value == "\"a # b\"");
    CHECK(ps[2].description == "c2");
    CHECK(ps[3].value == "a\\ #b");  // an escaped blank does not start a comment
    CHECK(ps[4].value == "'multi\nline'");
    CHECK(ps[4].line == 5);
    CHECK(ps[5].key == "F");
    CHECK(ps[5].line == 7);
    CHECK(ps[6].value == "\"esc\\\"aped # still\" tail");
}

TEST_CASE("env: lines that are not assignments are errors", "[env]") {
    auto e = parse_err(parse_fn, "A=1\n\nset -a\n");
    CHECK(e.message == "expected NAME=value");
    CHECK(e.line == 3);
    CHECK(parse_err(parse_fn, "A=1\nexport\n").line == 2);
    CHECK(parse_err(parse_fn, "1A=2\n").line == 1);
    CHECK(parse_err(parse_fn, "=2\n").line == 1);
    CHECK(parse_err(parse_fn, "A=1\nexport B C=\n").line == 2);
    auto q = parse_err(parse_fn, "A=1\nB=\"never closed\nC=3\n");
    CHECK(q.message == "unterminated quote");
    CHECK(q.line == 2);
    CHECK(parse_err(parse_fn, "A='x\n").message == "unterminated quote");
}

TEST_CASE("env: limits and garbage", "[env]") {
    ciri::ParseLimits limits;
    limits.max_params = 2;
    auto e = parse_err(parse_fn, "A=1\nB=2\nC=3\n", limits);
    CHECK(e.message == "more than 2 parameters");
    CHECK(e.line == 3);
    check_garbage(parse_fn, "A=\\");
    check_garbage(parse_fn, "A=\"\\");
    check_garbage(parse_fn, "export ");
    check_garbage(parse_fn, "A=" + std::string(5000, '"'));
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, "A=" + random_bytes(seed, 400, "AB=\"'\\# \n\texport"));
}
