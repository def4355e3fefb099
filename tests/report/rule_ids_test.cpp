#include "ciri/report/rule_ids.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace ciri;

TEST_CASE("a finding's rule follows its kind and category; every rule id is unique", "[rule_ids]") {
    ReportedFinding f;
    CHECK(rule_for(f).id == "ciri/misconfiguration");
    for (auto [category, id] : {std::pair{"Syntax", "ciri/syntax"}, {"Range", "ciri/range"},
                                {"Dependency", "ciri/dependency"}, {"Version", "ciri/version"},
                                {"environment", "ciri/environment"}, {"Port", "ciri/misconfiguration"},
                                {"Inconclusive", "ciri/misconfiguration"}, {"Input-Error", "ciri/misconfiguration"}}) {
        f.category = category;
        INFO(category);
        CHECK(rule_for(f).id == id);
        CHECK(rule_for(f).level == "error");
    }
    f.category.clear();
    f.kind = "syntax";
    CHECK(rule_for(f).id == "ciri/syntax");
    CHECK(inconclusive_rule().level == "warning");
    std::set<std::string_view> ids;
    for (const auto& r : report_rules()) {
        CHECK(ids.insert(r.id).second);
        CHECK(&report_rules()[rule_index(r)] == &r);
        CHECK(r.help.find("--format") == std::string_view::npos);  // the input flag is --input-format
    }
}
