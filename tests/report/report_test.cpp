#include "ciri/report/report.hpp"

#include <catch2/catch.hpp>

#include "tests/report/report_sample.hpp"

using namespace ciri;

TEST_CASE("verdict counts and suppressed findings", "[report]") {
    auto r = test::sample_report();
    CHECK(r.count(Outcome::misconfigured) == 1);
    CHECK(r.count(Outcome::valid) == 1);
    CHECK(r.count(Outcome::inconclusive) == 1);
    CHECK(r.count(Outcome::error) == 1);
    CHECK(r.suppressed() == 1);
    CHECK(r.files[0].active().size() == 1);
    CHECK(std::string(to_string(Outcome::inconclusive)) == "inconclusive");
}
