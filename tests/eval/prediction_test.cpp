#include "eval/prediction.hpp"

#include <catch2/catch.hpp>

using namespace ciri;

TEST_CASE("predictions survive a JSON round trip", "[prediction]") {
    DatasetItem item;
    item.id = "hdfs/erroneous/3";
    item.system = "hdfs";
    item.label = Label::misconfigured;
    item.params = {"a", "b"};
    item.category = "Dependency";
    item.subcategory = "Value Relationship";
    Prediction p = prediction_for(item);
    CHECK(p.truth == item.params);
    p.verdict = VerdictStatus::inconclusive;
    p.error = "no quorum";
    p.members = {{"m", VerdictStatus::valid, {}}};
    p.latency_ms = 12.5;
    auto back = prediction_from_json(to_json(p));
    REQUIRE(back);
    CHECK(to_json(*back) == to_json(p));
    CHECK_FALSE(back->cost_usd.has_value());
    CHECK(back->subcategory == "Value Relationship");
}

TEST_CASE("bad prediction objects are rejected with the field", "[prediction]") {
    CHECK_FALSE(prediction_from_json(nlohmann::json::array()));
    CHECK_FALSE(prediction_from_json({{"system", "x"}}));
    auto e = prediction_from_json({{"id", "a"}, {"verdict", "maybe"}});
    REQUIRE_FALSE(e);
    CHECK(e.error().message == "unknown verdict 'maybe'");
    e = prediction_from_json({{"id", "a"}, {"answers", "three"}});
    REQUIRE_FALSE(e);
    CHECK(e.error().message == "\"answers\" has the wrong type");
    e = prediction_from_json({{"id", "a"}, {"reported", {1, 2}}});
    REQUIRE_FALSE(e);
    CHECK(parse_verdict("valid").value() == VerdictStatus::valid);
}

TEST_CASE("member_view takes the member's verdict and drops usage", "[prediction]") {
    Prediction p;
    p.id = "a";
    p.truth = {"x"};
    p.label = Label::misconfigured;
    p.reported = {"x"};
    p.verdict = VerdictStatus::misconfigured;
    p.requests = 4;
    p.members = {{"m1", VerdictStatus::valid, {}}};
    auto v = member_view(p, "m1");
    REQUIRE(v);
    CHECK(v->verdict == VerdictStatus::valid);
    CHECK(v->reported.empty());
    CHECK(v->truth == p.truth);
    CHECK(v->requests == 0);
    CHECK_FALSE(member_view(p, "m2"));
}
