#include "prompts/shot_pool.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "tests/support/paths.hpp"

namespace fs = std::filesystem;
using namespace ciri;

namespace {

const std::string kAnswerOpen = "\n\nAnswer:\n```json\n";

}  // namespace

TEST_CASE("an artifact shot splits into config, question and answer", "[shot_pool]") {
    std::string text = "a=1\n\nb=2\n\n\n" + paper_question("PostgreSQL", "13.0") + kAnswerOpen +
                       paper_answer(true, {"b"}, {"b is wrong"}) + "\n```";
    auto shot = parse_artifact_shot(text, "postgresql", false, "7_dependency");
    REQUIRE(shot);
    CHECK(shot->id == "7");
    CHECK(shot->category == "dependency");
    CHECK_FALSE(shot->valid);
    CHECK(shot->config == "a=1\n\nb=2\n\n");
    CHECK(shot->text == text);
    CHECK(nlohmann::json::parse(shot->answer_json)["errParameter"][0] == "b");

    // The kind of shot and its answer must agree.
    CHECK_FALSE(parse_artifact_shot(text, "postgresql", true, "7"));
    CHECK_FALSE(parse_artifact_shot(text, "postgresql", false, "7"));  // no category
    CHECK_FALSE(parse_artifact_shot("a=1\n", "postgresql", true, "1"));
}

TEST_CASE("our shot files have a header then the config and a text in the paper layout",
          "[shot_pool]") {
    auto shot = parse_shot_file(
        "kind: misconfig\n"
        "category: range\n"
        "version: 1.2\n"
        "answer: {\"hasError\": true, \"errParameter\": [\"port\"], \"reason\": [\"too big\"]}\n"
        "---\n"
        "port=70000\n",
        "alluxio", "Alluxio", "m1");
    REQUIRE(shot);
    CHECK(shot->config == "port=70000\n");
    CHECK(shot->category == "range");
    CHECK(shot->text == "port=70000\n\n" + paper_question("Alluxio", "1.2") + kAnswerOpen +
                            "{\n    \"hasError\": true,\n    \"errParameter\": [\"port\"],\n"
                            "    \"reason\": [\"too big\"]\n}\n```");

    auto valid = parse_shot_file("kind: valid\n---\nport=1\n", "alluxio", "Alluxio", "v1");
    REQUIRE(valid);
    CHECK(valid->valid);
    CHECK(valid->text.find(" version ") == std::string::npos);  // no version stated

    CHECK_FALSE(parse_shot_file("kind: misconfig\n---\nx=1\n", "a", "A", "m"));  // no category
    CHECK_FALSE(parse_shot_file("kind: valid\nx=1\n", "a", "A", "v"));           // no ---
    CHECK_FALSE(parse_shot_file("kind: valid\n---\n\n", "a", "A", "v"));         // no config
    CHECK_FALSE(parse_shot_file("kind: valid\ncolour: red\n---\nx=1\n", "a", "A", "v"));
    auto mismatch = parse_shot_file(
        "kind: misconfig\ncategory: syntax\n"
        "answer: {\"hasError\": true, \"errParameter\": [\"a\", \"b\"], \"reason\": [\"r\"]}\n"
        "---\nx=1\n",
        "a", "A", "m");
    REQUIRE_FALSE(mismatch);
    CHECK(mismatch.error().message.find("reason") != std::string::npos);
}

TEST_CASE("paper_question is the question of the artifact's shots", "[shot_pool][shared]") {
    auto shared = test::shared_dir();
    if (!shared) return;
    // The title each shot file uses and the version table of the artifact README.
    const std::pair<std::string, std::pair<std::string, std::string>> systems[] = {
        {"alluxio", {"Alluxio", "2.5.0"}}, {"django", {"Django", "4.0"}},
        {"hbase", {"HBase", "2.2.7"}},     {"hcommon", {"HCommon", "3.3.0"}},
        {"hdfs", {"HDFS", "3.3.0"}},       {"postgresql", {"PostgreSQL", "13.0"}},
    };
    for (const auto& [system, tv] : systems) {
        auto pool = load_shot_pool(*shared / "shot_pool", system);
        INFO(system);
        REQUIRE(pool);
        REQUIRE_FALSE(pool->empty());
        for (const Shot& shot : *pool) {
            INFO(shot.path);
            CHECK(shot.text.substr(shot.config.size())
                      .starts_with("\n" + paper_question(tv.first, tv.second) + kAnswerOpen));
        }
    }
}

TEST_CASE("the artifact's pools load as is", "[shot_pool][shared]") {
    auto shared = test::shared_dir();
    if (!shared) return;
    auto pool = load_shot_pool(*shared / "shot_pool", "hdfs");
    REQUIRE(pool);
    REQUIRE(pool->size() == 32);
    // Misconfigured first, each kind in numeric order.
    CHECK(pool->at(0).id == "1");
    CHECK(pool->at(0).category == "syntax");
    CHECK(pool->at(15).id == "16");
    CHECK(pool->at(15).category == "version");
    CHECK(pool->at(16).valid);
    CHECK(pool->at(16).id == "1");
    CHECK(pool->at(31).id == "16");
    for (const Shot& s : *pool) CHECK(s.config.ends_with("</configuration>\n"));

    // A dir that is one system's pool counts for that system only.
    auto direct = load_shot_pool(*shared / "shot_pool" / "hdfs", "hdfs");
    REQUIRE(direct);
    CHECK(direct->size() == 32);
    auto other = load_shot_pool(*shared / "shot_pool" / "hdfs", "hbase");
    REQUIRE(other);
    CHECK(other->empty());

    auto picked = shots_by_number(*pool, {12, 16, 14}, {16});
    REQUIRE(picked);
    REQUIRE(picked->size() == 4);
    CHECK(picked->at(0).id == "12");
    CHECK(picked->at(2).id == "14");
    CHECK(picked->at(3).valid);
    auto missing = shots_by_number(*pool, {99}, {});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("99") != std::string::npos);
}

TEST_CASE("our own pools are well-formed and name real keys", "[shot_pool]") {
    for (const char* system : {"deepspeed", "slurm"}) {
        INFO(system);
        auto pool = load_shot_pool(default_shots_dir(), system);
        REQUIRE(pool);
        size_t valid = 0, misconfig = 0;
        for (const Shot& shot : *pool) {
            INFO(shot.path);
            (shot.valid ? valid : misconfig)++;
            CHECK(shot.system == system);
            // The config parses with the system's parser and the answer names its keys.
            LoadOptions options;
            options.format = find_system(system)->format;
            options.system = system;
            auto file = load_config_bytes(shot.path, shot.config, options);
            REQUIRE(file);
            auto answer = nlohmann::json::parse(shot.answer_json);
            for (const auto& param : answer["errParameter"]) {
                INFO(param.get<std::string>());
                CHECK(std::ranges::any_of(file->params, [&](const Parameter& p) {
                    return p.key == param.get<std::string>();
                }));
            }
        }
        CHECK(valid >= 2);
        CHECK(misconfig >= 4);
    }
    auto none = load_shot_pool(default_shots_dir(), "redis");
    REQUIRE(none);
    CHECK(none->empty());
}
