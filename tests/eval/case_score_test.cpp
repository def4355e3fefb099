#include "eval/case_score.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, CaseTally>& shipped_scores() {
    static const auto scores = [] {
        auto ds = read_dataset(test::source_dir() / "datasets");
        REQUIRE(ds);
        return score_cases(*ds);
    }();
    return scores;
}

}  // namespace

TEST_CASE("the case set: every case is a file with its fixed twin, labeled and sourced", "[cases]") {
    const std::set<std::string> categories = {"Syntax", "Range", "Dependency", "Version", "Environment"};
    int cases = 0;
    for (const auto& e : fs::directory_iterator(test::source_dir() / "datasets")) {
        fs::path manifest = e.path() / "cases" / "manifest.jsonl";
        if (!fs::is_regular_file(manifest)) continue;
        std::ifstream in(manifest);
        std::map<std::string, nlohmann::json> by_id;
        for (std::string line; std::getline(in, line);) {
            auto j = nlohmann::json::parse(line);
            by_id[j["id"].get<std::string>()] = j;
        }
        for (const auto& [id, j] : by_id) {
            INFO(id);
            CHECK(j.contains("provenance"));
            CHECK(!j.value("provenance", "").empty());
            REQUIRE(j.contains("twin"));
            REQUIRE(by_id.contains(j["twin"].get<std::string>()));
            const auto& twin = by_id.at(j["twin"].get<std::string>());
            CHECK(twin["twin"] == id);
            CHECK(twin["label"] != j["label"]);
            if (j["label"] != "misconfigured") continue;
            ++cases;
            CHECK(categories.contains(j["category"].get<std::string>()));
            // The twin is the same file name with the fix: never the same bytes.
            fs::path bad = e.path() / "cases" / j["path"].get<std::string>();
            fs::path fixed = e.path() / "cases" / twin["path"].get<std::string>();
            CHECK(bad.filename() == fixed.filename());
            std::ifstream a(bad), b(fixed);
            std::string x((std::istreambuf_iterator<char>(a)), {}), y((std::istreambuf_iterator<char>(b)), {});
            CHECK(!x.empty());
            CHECK(x != y);
        }
    }
    CHECK(cases >= 150);
}

TEST_CASE("the case set: rules alone meet the targets offline", "[cases]") {
    CaseTally total;
    for (const auto& [system, t] : shipped_scores()) {
        INFO(system);
        CHECK(t.load_errors == 0);
        total.add(t);
    }
    INFO(format_case_scores(shipped_scores()));
    for (const auto& m : total.missed) UNSCOPED_INFO("missed: " << m);
    for (const auto& f : total.flagged) UNSCOPED_INFO("twin flagged: " << f);
    CHECK(total.right_param >= 0.85 * total.cases);
    CHECK(total.twins_flagged <= 0.02 * total.twins);
}

TEST_CASE("the case set: every system is detected from the file alone", "[cases]") {
    for (const auto& [system, t] : shipped_scores()) {
        INFO(system);
        for (const auto& u : t.undetected) UNSCOPED_INFO("not detected: " << u);
        CHECK(t.detected >= 0.95 * t.files);
    }
}
