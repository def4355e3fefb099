#include "prompts/shot_texts.hpp"

#include <catch2/catch.hpp>

#include "parsers/load.hpp"
#include "prompts/prompt_builder.hpp"
#include "prompts/template.hpp"

using namespace ciri;

namespace {

Shot shot(std::string id, std::string config) {
    Shot s;
    s.system = "postgresql";
    s.category = "range";
    s.id = std::move(id);
    s.config = std::move(config);
    s.text = s.config;
    s.answer_json = R"({"hasError": true, "errParameter": ["port"], "reason": ["r"]})";
    return s;
}

}  // namespace

TEST_CASE("shot_texts: the same shots are rendered once; other text, order or view anew", "[shot_texts]") {
    ShotTexts texts;
    int renders = 0;
    auto render = [&](std::string text) {
        return [&renders, text] {
            ++renders;
            return text;
        };
    };
    std::vector<Shot> ab = {shot("1", "port = -1\n"), shot("2", "max_connections = 0\n")};
    CHECK(texts.get(ab, FileView::raw, render("AB")) == "AB");
    CHECK(texts.get(ab, FileView::raw, render("other")) == "AB");
    CHECK(renders == 1);
    // The same ids with another config (a --shot file beside a pool), the other order, the
    // compact view: each its own text.
    std::vector<Shot> changed = {shot("1", "port = -2\n"), shot("2", "max_connections = 0\n")};
    CHECK(texts.get(changed, FileView::raw, render("changed")) == "changed");
    CHECK(texts.get({ab[1], ab[0]}, FileView::raw, render("BA")) == "BA");
    CHECK(texts.get(ab, FileView::compact, render("compact")) == "compact");
    CHECK(renders == 4);
    CHECK(texts.size() == 4);
}

TEST_CASE("shot_texts: prompts built with the run's shot texts are the prompts built without",
          "[shot_texts]") {
    LoadOptions lo;
    lo.system = "postgresql";
    auto a = load_config_bytes("/x/a/postgresql.conf", "port = 5432\nshared_buffers = 128MB\n", lo);
    auto b = load_config_bytes("/x/b/postgresql.conf", "port = 5433\nwork_mem = 4MB\n", lo);
    REQUIRE(a);
    REQUIRE(b);
    auto tpl = load_template("default", {});
    REQUIRE(tpl);
    std::vector<Shot> shots = {shot("1", "port = -1\n"), shot("2", "max_connections = 0\n")};
    PromptOptions plain, shared;
    shared.shot_texts = std::make_shared<ShotTexts>();
    for (const ConfigFile* f : {&*a, &*b, &*a}) {
        auto want = build_prompts(*f, *tpl, shots, plain);
        auto got = build_prompts(*f, *tpl, shots, shared);
        REQUIRE(got.chunks.size() == want.chunks.size());
        CHECK(got.chunks[0].prompt.system == want.chunks[0].prompt.system);
        CHECK(got.chunks[0].prompt.prefix == want.chunks[0].prompt.prefix);
        CHECK(got.chunks[0].prompt.body == want.chunks[0].prompt.body);
        CHECK_THAT(got.chunks[0].prompt.prefix, Catch::Contains("max_connections = 0"));
    }
    CHECK(shared.shot_texts->size() == 1);
}
