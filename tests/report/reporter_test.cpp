#include "ciri/report/reporter.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace ciri;

TEST_CASE("reporter table finds every reporter by name", "[reporter]") {
    for (const char* name : {"human", "json", "jsonl", "sarif", "junit", "github", "checkstyle", "codequality"}) {
        INFO(name);
        REQUIRE(find_reporter(name) != nullptr);
        CHECK(find_reporter(name)->name == name);
    }
    CHECK(find_reporter("xml") == nullptr);
    CHECK(reporters().size() == 8);
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

TEST_CASE("every reporter masks secret values and their quotes in reasons unless asked", "[reporter][redact]") {
    RunReport r;
    FileResult f{.path = "app.properties", .system = "", .version = "", .format = "properties", .verdict = Outcome::misconfigured};
    ReportedFinding secret{{"db.password", 2, "hunter2-Sup3rSecret", "hunter2-Sup3rSecret is shorter than 20", 1, 1, {"rules"}}, ""};
    secret.secret = true;
    f.findings.push_back(secret);
    f.findings.push_back({{"db.pool.size", 3, "0", "pool of 0", 1, 1, {"rules"}}, ""});
    f.secret_params = {{"db.password", 2}};
    f.secrets = {"hunter2-Sup3rSecret"};
    r.files = {f};
    for (const auto& rep : reporters()) {
        std::ostringstream masked, shown;
        rep.render(r, masked, {});
        rep.render(r, shown, {.show_secrets = true});
        INFO(rep.name << ": " << masked.str());
        CHECK(masked.str().find("hunter2-Sup3rSecret") == std::string::npos);
        CHECK(masked.str().find("redacted") != std::string::npos);
        CHECK(masked.str().find("pool of 0") != std::string::npos);
        CHECK(shown.str().find("hunter2-Sup3rSecret") != std::string::npos);
    }
}

TEST_CASE("xml_escape escapes markup and blanks control characters XML 1.0 forbids", "[reporter]") {
    CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
    CHECK(xml_escape(std::string("x\x01y\tz\n")) == "x y\tz\n");
}
