#include <catch2/catch.hpp>

#include "parsers/detect.hpp"
#include "parsers/registry.hpp"
#include "tests/cli/cli_run.hpp"

using ciri::test::run_ciri;

TEST_CASE("systems lists every system and every format", "[cli][systems]") {
    auto r = run_ciri({"systems"});
    REQUIRE(r.code == 0);
    for (const auto& sys : ciri::systems()) CHECK(r.out.find("  " + std::string(sys.name) + " ") != std::string::npos);
    for (const auto& f : ciri::formats()) CHECK(r.out.find("  " + std::string(f.name) + " ") != std::string::npos);
}
