#include "ciri/ciri_config.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ciri;

TEST_CASE(".ciri.yaml: every documented key is read", "[ciri_config]") {
    auto c = parse_ciri_config(R"(
models:
  - openai/gpt-4o
  - spec: openai/Qwen2.5-7B-Instruct@http://127.0.0.1:8000/v1
    weight: 2
    api_key_env: LOCAL_KEY
    max_in_flight: 4
    rpm: 60
    prices: {input: 0.1, cached_input: 0.05, output: 0.2}
samples: 5
vote: ciri
threshold: 0.6
temperature: 0.1
prompt: default
shots: datasets
cache_dir: /tmp/ciri-cache
include: ["conf/**"]
exclude: "**/test/**"
systems:
  - {glob: "hadoop/*.xml", system: hdfs, version: 3.3.0}
ignore:
  - dfs.replication
  - {parameter: "redis.*", glob: "*.conf", reason: legacy}
rules: {weight: 0.5, decisive: true, spec: [specs/]}
fail_on: [misconfigured, inconclusive]
shot_selection: stable
file_view: compact
valid_shots: 2
misconfig_shots: 0
)",
                               ".ciri.yaml");
    REQUIRE(c);
    REQUIRE(c->models.size() == 2);
    CHECK(c->models[0].spec == "openai/gpt-4o");
    CHECK(c->models[1].weight == 2);
    CHECK(c->models[1].api_key_env == "LOCAL_KEY");
    CHECK(c->models[1].rpm == 60);
    CHECK(*c->models[1].price_output == Approx(0.2));
    CHECK(c->models[1].line == 4);
    CHECK(*c->samples == 5);
    CHECK(*c->vote == "ciri");
    CHECK(c->exclude == std::vector<std::string>{"**/test/**"});
    REQUIRE(c->systems.size() == 1);
    CHECK(c->systems[0].version == "3.3.0");
    REQUIRE(c->ignore.size() == 2);
    CHECK(c->ignore[1].reason == "legacy");
    CHECK(c->rules.decisive);
    CHECK(c->rules.weight == 0.5);
    CHECK(c->fail_on.size() == 2);
    CHECK(c->shot_selection == "stable");
    CHECK(c->file_view == "compact");
    CHECK(c->valid_shots == 2);
    CHECK(c->misconfig_shots == 0);
}

TEST_CASE(".ciri.yaml: the prompt layout keys take only their fixed values, else file:line says what is expected",
          "[ciri_config]") {
    for (const char* strategy : {"stable", "similarity", "category", "random"})
        CHECK(parse_ciri_config(std::string("shot_selection: ") + strategy + "\n", "c")->shot_selection == strategy);
    CHECK(parse_ciri_config("file_view: raw\n", "c")->file_view == "raw");
    // Unset keys stay unset, so a flag or the default decides.
    auto none = parse_ciri_config("samples: 2\n", "c");
    CHECK_FALSE(none->shot_selection);
    CHECK_FALSE(none->file_view);
    CHECK_FALSE(none->valid_shots);

    auto view = parse_ciri_config("samples: 2\nfile_view: short\n", "repo/.ciri.yaml");
    REQUIRE_FALSE(view);
    CHECK(view.error().format() == "repo/.ciri.yaml:2: error: 'file_view' must be raw or compact");
    auto strategy = parse_ciri_config("\n\nshot_selection: Stable\n", "c.yaml");
    REQUIRE_FALSE(strategy);
    CHECK(strategy.error().line == 3);
    CHECK(strategy.error().message == "'shot_selection' must be random, similarity, category or stable");
    // Not a path, a template or a list: a value of another shape is refused too.
    CHECK_FALSE(parse_ciri_config("shot_selection: [stable]\n", "c"));
    CHECK_FALSE(parse_ciri_config("file_view: {compact: true}\n", "c"));
    auto negative = parse_ciri_config("misconfig_shots: -1\n", "c");
    REQUIRE_FALSE(negative);
    CHECK(negative.error().message == "'misconfig_shots' must not be negative");
    auto fraction = parse_ciri_config("valid_shots: 1.5\n", "c");
    REQUIRE_FALSE(fraction);
    CHECK(fraction.error().message == "'valid_shots' must be a number");
}

TEST_CASE(".ciri.yaml: unknown keys and bad values are errors with the line", "[ciri_config]") {
    auto unknown = parse_ciri_config("samples: 3\nmodel: openai/gpt-4o\n", "cfg.yaml");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().line == 2);
    CHECK(unknown.error().path == "cfg.yaml");
    CHECK(unknown.error().message.find("unknown key 'model'") != std::string::npos);
    CHECK(unknown.error().message.find("models") != std::string::npos);  // says what is known

    auto nested = parse_ciri_config("models:\n  - spec: a/b\n    wieght: 2\n", "c");
    REQUIRE_FALSE(nested);
    CHECK(nested.error().line == 3);

    auto type = parse_ciri_config("samples: many\n", "c");
    REQUIRE_FALSE(type);
    CHECK(type.error().message.find("number") != std::string::npos);

    CHECK_FALSE(parse_ciri_config("vote: majority\n", "c"));
    CHECK_FALSE(parse_ciri_config("samples: 0\n", "c"));
    CHECK_FALSE(parse_ciri_config("models:\n  - weight: 1\n", "c"));
    auto syntax = parse_ciri_config("models: [a\nsamples: 3\n", "c");
    REQUIRE_FALSE(syntax);
    CHECK(syntax.error().line >= 1);
    CHECK(parse_ciri_config("", "c"));
}

TEST_CASE(".ciri.yaml is found from a directory upwards", "[ciri_config]") {
    fs::path root = fs::temp_directory_path() / "ciri-config-test";
    fs::remove_all(root);
    fs::create_directories(root / "a" / "b");
    std::ofstream(root / ".ciri.yaml") << "samples: 2\n";
    auto found = find_ciri_config(root / "a" / "b");
    REQUIRE(found);
    CHECK(*found == root / ".ciri.yaml");
    auto loaded = load_ciri_config(*found);
    REQUIRE(loaded);
    CHECK(*loaded->samples == 2);
    fs::remove_all(root);
}

TEST_CASE(".ciri.yaml: context facts are a map of scalars", "[ciri_config]") {
    auto c = parse_ciri_config("context:\n  world_size: 16\n  gpu: H100\n", "c.yaml");
    REQUIRE(c);
    CHECK(c->context == std::map<std::string, std::string>{{"world_size", "16"}, {"gpu", "H100"}});
    auto bad = parse_ciri_config("context: [a, b]\n", "c.yaml");
    REQUIRE(!bad);
    CHECK(bad.error().line == 1);
    CHECK(!parse_ciri_config("context:\n  model: {id: x}\n", "c.yaml"));
}

TEST_CASE(".ciri.yaml that is no regular file is found and refused, never read forever nor skipped",
          "[ciri_config]") {
    fs::path dir = fs::temp_directory_path() / ("ciri_config_fifo_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    // A FIFO would block a reader; /dev/zero would never end.
    REQUIRE(::mkfifo((dir / ".ciri.yaml").c_str(), 0600) == 0);
    auto found = find_ciri_config(dir / "sub");
    REQUIRE(found);
    CHECK(*found == dir / ".ciri.yaml");
    auto fifo = load_ciri_config(*found);
    REQUIRE_FALSE(fifo);
    CHECK(fifo.error().message.starts_with("cannot read ciri configuration"));
    fs::remove(dir / ".ciri.yaml");
    fs::create_symlink("/dev/zero", dir / ".ciri.yaml");
    CHECK_FALSE(load_ciri_config(dir / ".ciri.yaml"));
    fs::remove(dir / ".ciri.yaml");
    fs::create_symlink(dir / "missing.yaml", dir / ".ciri.yaml");  // dangling: said, not skipped
    REQUIRE(find_ciri_config(dir));
    CHECK_FALSE(load_ciri_config(dir / ".ciri.yaml"));
    fs::remove_all(dir);
}
