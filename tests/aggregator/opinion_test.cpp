#include "aggregator/opinion.hpp"

#include <catch2/catch.hpp>

using ciri::Stance;

namespace {

ciri::ConfigFile file_of(std::vector<std::string> keys) {
    ciri::ConfigFile f;
    int line = 1;
    for (auto& k : keys) f.params.push_back({k, "v" + std::to_string(line), line, "", ""}), ++line;
    return f;
}

ciri::GroundedAnswer named(std::vector<std::string> params, const ciri::ConfigFile& file) {
    ciri::GroundedAnswer g;
    g.answer.has_error = !params.empty();
    for (const auto& p : params) {
        g.answer.reasons.push_back("bad " + p);
        for (const auto& q : file.params)
            if (q.key == p) g.matched.push_back(q);
    }
    g.answer.params = std::move(params);
    return g;
}

}  // namespace

TEST_CASE("llm_opinions: named parameters are wrong by share, the rest of the scope ok", "[opinion]") {
    auto file = file_of({"a", "b", "c"});
    auto v = ciri::llm_opinions("m", 2.0, {named({"a"}, file), named({"a", "b"}, file), named({}, file)}, 1, &file);
    CHECK(v.answered);
    CHECK(v.valid == 3);
    CHECK(v.invalid == 1);
    CHECK(v.weight == 2.0);
    CHECK(v.on("a").stance == Stance::wrong);
    CHECK(v.on("a").share == Approx(2.0 / 3));
    CHECK(v.on("a").reason == "bad a");
    CHECK(v.on("a").line == 1);
    CHECK(v.on("b").share == Approx(1.0 / 3));
    CHECK(v.on("c").stance == Stance::ok);
    CHECK(v.on("c").share == 0);
    CHECK(v.on("zzz").stance == Stance::abstain);
    CHECK(std::string(ciri::to_string(Stance::abstain)) == "abstain");
}

TEST_CASE("llm_opinions: no valid answer means not answered, abstaining everywhere", "[opinion]") {
    auto file = file_of({"a"});
    auto v = ciri::llm_opinions("m", 1.0, {}, 3, &file);
    CHECK_FALSE(v.answered);
    CHECK(v.params.empty());
    CHECK(v.on("a").stance == Stance::abstain);
}

TEST_CASE("llm_opinions: a sample naming a parameter twice counts once", "[opinion]") {
    auto file = file_of({"a", "b"});
    auto v = ciri::llm_opinions("m", 1.0, {named({"a", "a"}, file), named({}, file)}, 0, &file);
    CHECK(v.on("a").share == Approx(0.5));
}
