#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_conf(std::string_view, const ParseLimits&);
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
constexpr auto parse_fn = &ciri::parse_conf;

}  // namespace

TEST_CASE("conf: postgresql.conf fixture", "[conf]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/conf/postgresql.conf"));
    REQUIRE(ps.size() == 20);
    CHECK(ps[0].key == "data_directory");
    CHECK(ps[0].value == "'/var/lib/postgresql/16/main'");
    CHECK(ps[0].line == 9);
    CHECK(ps[0].description == "use data in another directory");
    CHECK(find(ps, "port").value == "5432");
    CHECK(find(ps, "port").description == "(change requires restart)");
    // Commented-out settings are not parameters.
    CHECK(find_all(ps, "superuser_reserved_connections").empty());
    // `name value` and `name=value`.
    CHECK(find(ps, "work_mem").value == "4MB");
    CHECK(find(ps, "maintenance_work_mem").value == "64MB");
    CHECK(find(ps, "default_transaction_isolation").value == "'read committed'");
    CHECK(find(ps, "search_path").value == "'\"$user\", public'");
    // `#` inside quotes is text; `''` does not end the string.
    CHECK(find(ps, "log_line_prefix").value == "'%m [%p] %q%u@%d '");
    CHECK(find(ps, "log_line_prefix").description == "special values: # inside quotes stays");
    CHECK(find(ps, "application_name").value == "'it''s #1'");
    CHECK(find(ps, "auto_explain.log_min_duration").value == "250ms");
    auto ssl = find_all(ps, "ssl");
    REQUIRE(ssl.size() == 2);
    CHECK(ssl[0]->line == 31);
    CHECK(ssl[1]->value == "off");
    CHECK(ssl[1]->line == 32);
    // Includes are recorded, not followed.
    CHECK(find(ps, "include_dir").value == "'conf.d'");
    CHECK(find(ps, "include_dir").line == 34);
    CHECK(find(ps, "include_if_exists").value == "'exists.conf'");
    CHECK(find(ps, "include").value == "'special.conf'");
    CHECK(find(ps, "include").line == 36);
}

TEST_CASE("conf: awkward values", "[conf]") {
    auto ps = parse_ok(parse_fn, 
        "a = ''\n"
        "b='x\\'y'   # escaped quote\n"
        "c = -1\n"
        "d = 1.5e3\n"
        "e='#'#real comment\n"
        "f = a b\n"
        "ssl_key_file=server.key'\n"
        "g\t=\tv\n");
    REQUIRE(ps.size() == 8);
    CHECK(ps[0].value == "''");
    CHECK(ps[1].value == "'x\\'y'");
    CHECK(ps[1].description == "escaped quote");
    CHECK(ps[2].value == "-1");
    CHECK(ps[3].value == "1.5e3");
    CHECK(ps[4].value == "'#'");
    CHECK(ps[4].description == "real comment");
    CHECK(ps[5].value == "a b");
    // A stray quote inside a word (seen in the Ciri artifact) is kept, not an error.
    CHECK(ps[6].value == "server.key'");
    CHECK(ps[7].key == "g");
    CHECK(ps[7].value == "v");
}

TEST_CASE("conf: malformed lines are errors with their line", "[conf]") {
    auto e = parse_err(parse_fn, "port = 5432\n\nlisten_addresses = 'localhost\n");
    CHECK(e.message == "unterminated quoted string");
    CHECK(e.line == 3);
    CHECK(parse_err(parse_fn, "a = 'it''s\n").message == "unterminated quoted string");
    auto missing = parse_err(parse_fn, "a = 1\nwork_mem   # forgot\n");
    CHECK(missing.message == "missing value for 'work_mem'");
    CHECK(missing.line == 2);
    CHECK(parse_err(parse_fn, "a = 1\n= 2\n").line == 2);
    CHECK(parse_err(parse_fn, "a = 1\n9lives = 2\n").message == "expected a parameter name");
    auto bad = parse_err(parse_fn, "x = 1\nshared_buffers: 128MB\n");
    CHECK(bad.message == "bad character ':' after parameter name");
    CHECK(bad.line == 2);
}

TEST_CASE("conf: limits and garbage", "[conf]") {
    ciri::ParseLimits limits;
    limits.max_params = 1;
    auto e = parse_err(parse_fn, "a = 1\nb = 2\n", limits);
    CHECK(e.message == "more than 1 parameters");
    CHECK(e.line == 2);
    check_garbage(parse_fn, "'");
    check_garbage(parse_fn, "a '");
    check_garbage(parse_fn, "a\\");
    check_garbage(parse_fn, std::string(10000, '\''));
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, random_bytes(seed, 400, "ab=#'\\ \n\t1_."));
}

TEST_CASE("conf: an empty value is a value", "[conf]") {
    auto ps = parse_ok(parse_fn, "a = 1\nwork_mem =   # forgot\nb=\n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[1].key == "work_mem");
    CHECK(ps[1].value == "");
    CHECK(ps[1].description == "forgot");
    CHECK(ps[2].value == "");
}
