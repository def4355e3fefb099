#include "ciri/syntax_findings.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("syntax findings: one per syntax error, with line, parameter and the line's text", "[syntax]") {
    ConfigFile file;
    file.syntax_errors = {{3, "illegal map value", "discovery", "discovery: file:::"}, {7, "unterminated quote", "", "'x"}};
    FileResult result;
    CHECK(add_syntax_findings(result, file) == 2);
    REQUIRE(result.findings.size() == 2);
    CHECK(result.findings[0].kind == "syntax");
    CHECK(result.findings[0].line == 3);
    CHECK(result.findings[0].parameter == "discovery");
    CHECK(result.findings[0].value == "discovery: file:::");
    CHECK(result.findings[0].reason == "syntax error: illegal map value");
    CHECK(result.findings[1].parameter.empty());
    REQUIRE(result.notes.size() == 1);
    CHECK(result.notes[0].starts_with("2 syntax error(s)"));

    FileResult clean;
    CHECK(add_syntax_findings(clean, ConfigFile{}) == 0);
    CHECK(clean.findings.empty());
    CHECK(clean.notes.empty());
}
