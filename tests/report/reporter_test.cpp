#include "ciri/report/reporter.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("reporter table finds every reporter by name", "[reporter]") {
    for (const char* name : {"human", "json", "sarif", "junit", "github", "checkstyle", "codequality"}) {
        INFO(name);
        REQUIRE(find_reporter(name) != nullptr);
        CHECK(find_reporter(name)->name == name);
    }
    CHECK(find_reporter("xml") == nullptr);
    CHECK(reporters().size() == 7);
}

TEST_CASE("vote_note shows the agreeing weight and voters", "[reporter]") {
    ReportedFinding f{{"p", 1, "v", "r", 5, 6, {"gpt-4o", "claude"}}, ""};
    CHECK(vote_note(f) == "votes 5/6: gpt-4o, claude");
    f.votes = 1.5;
    f.voters.clear();
    CHECK(vote_note(f) == "votes 1.5/6");
    f.total = 0;
    CHECK(vote_note(f).empty());
}

TEST_CASE("xml_escape escapes markup and blanks control characters XML 1.0 forbids", "[reporter]") {
    CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
    CHECK(xml_escape(std::string("x\x01y\tz\n")) == "x y\tz\n");
}
