#include "ciri/report/reporter.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("reporter table finds every reporter by name", "[reporter]") {
    for (const char* name : {"human", "json", "sarif", "junit", "github"}) {
        INFO(name);
        REQUIRE(find_reporter(name) != nullptr);
        CHECK(find_reporter(name)->name == name);
    }
    CHECK(find_reporter("xml") == nullptr);
    CHECK(reporters().size() == 5);
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
