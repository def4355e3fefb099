#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_ini(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
constexpr auto parse_fn = &ciri::parse_ini;

}  // namespace

TEST_CASE("ini: setup.cfg with continuations, duplicates and comments", "[ini]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/ini/setup.cfg"));
    const auto& name = find(ps, "metadata.name");
    CHECK(name.value == "ciri-example");
    CHECK(name.line == 2);
    CHECK(name.section == "metadata");
    CHECK(find(ps, "metadata.version").value == "attr: ciri_example.__version__");
    const auto& classifiers = find(ps, "metadata.classifiers");
    CHECK(classifiers.value ==
          "Programming Language :: Python :: 3\nLicense :: OSI Approved :: Apache Software License");
    CHECK(classifiers.line == 8);
    // a blank line inside a continued value is kept, as configparser keeps it
    CHECK(find(ps, "options.install_requires").value ==
          "requests>=2.28\npyyaml>=6.0\n\ntomli; python_version < \"3.11\"");
    CHECK(find(ps, "options.zip_safe").line == 20);
    CHECK(find(ps, "options.entry_points.console_scripts").value ==
          "ciri-example = ciri_example.cli:main");
    CHECK(find(ps, "options.entry_points.console_scripts").section == "options.entry_points");
    int lengths = 0;
    for (const auto& p : ps)
        if (p.key == "flake8.max-line-length") {
            ++lengths;
            CHECK(p.line == (lengths == 1 ? 28 : 30));
        }
    CHECK(lengths == 2);
    CHECK(find(ps, "flake8.max-line-length").description ==
          "Black's line length; E203 conflicts with Black's slicing style.");
    const auto& addopts = find(ps, "tool:pytest.addopts");
    CHECK(addopts.value == "-ra --strict-markers");
    CHECK(addopts.description == "keep warnings visible");
}

TEST_CASE("ini: tox.ini", "[ini]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/ini/tox.ini"));
    REQUIRE(ps.size() == 8);
    CHECK(ps[0].key == "tox.envlist");
    CHECK(ps[0].value == "py39, py310, py311, lint");
    CHECK(ps[0].line == 3);
    CHECK(find(ps, "testenv.setenv").value == "CUDA_VISIBLE_DEVICES = 0\nNCCL_DEBUG: WARN");
    CHECK(find(ps, "testenv:lint.deps").value == "ruff");
    CHECK(find(ps, "testenv:lint.deps").line == 18);
}

TEST_CASE("ini: option files with bare flags and inline comments", "[ini]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/ini/my.cnf"));
    REQUIRE(ps.size() == 6);
    CHECK((ps[2].key == "mysqld.skip-name-resolve" && ps[2].value.empty() && ps[2].line == 4));
    CHECK(ps[3].value == "4G");
    CHECK(ps[3].description == "about 70% of RAM");
    CHECK((ps[5].key == "client.socket" && ps[5].section == "client"));
}

TEST_CASE("ini: keys before any section, separators, values with markers", "[ini]") {
    auto ps = parse_ok(parse_fn, "top = 1\nurl: http://h:80/x#frag\ncolor = #fff\n[s]\n  indented = yes\n"
                       "empty =\n");
    REQUIRE(ps.size() == 5);
    CHECK((ps[0].key == "top" && ps[0].section.empty()));
    CHECK((ps[1].key == "url" && ps[1].value == "http://h:80/x#frag"));
    CHECK(ps[2].value == "#fff");
    CHECK((ps[3].key == "s.indented" && ps[3].value == "yes" && ps[3].line == 5));
    CHECK((ps[4].key == "s.empty" && ps[4].value.empty()));
}

TEST_CASE("ini: malformed lines are errors with their line", "[ini]") {
    auto header = ciri::parse_ini(read_fixture("parsers/ini/broken_header.ini"), {});
    REQUIRE_FALSE(header.has_value());
    CHECK(header.error().line == 4);
    CHECK(header.error().message == "unterminated section header");
    auto junk = ciri::parse_ini("[a]\nx = 1\nthis is not a setting\n", {});
    REQUIRE_FALSE(junk.has_value());
    CHECK(junk.error().line == 3);
    auto nokey = ciri::parse_ini("[a]\n= 1\n", {});
    REQUIRE_FALSE(nokey.has_value());
    CHECK(nokey.error().line == 2);
    CHECK_FALSE(ciri::parse_ini("[]\n", {}).has_value());
    CHECK_FALSE(ciri::parse_ini("[a] b = 1\n", {}).has_value());
}

TEST_CASE("ini: parameter limit and garbage", "[ini]") {
    ciri::ParseLimits few;
    few.max_params = 1;
    CHECK_FALSE(ciri::parse_ini("a = 1\nb = 2\n", few).has_value());
    const char* inputs[] = {"\x01\x02\xff", "[[[", "]]]", "=", ":", "   \n\t\n", "[a]\n\tx\n",
                            "\xef\xbb\xbf[a]\n"};
    for (const char* in : inputs) {
        auto r = ciri::parse_ini(in, {});
        if (r) CHECK(r->size() < 3);
        else CHECK(r.error().line >= 1);
    }
}
