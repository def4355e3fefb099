#include "ciri/trust.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "tests/support/temp_files.hpp"

using namespace ciri;
using namespace ciri::test;

namespace {

CiriConfig parse(const std::string& text) {
    auto c = parse_ciri_config(text, ".ciri.yaml");
    REQUIRE(c);
    return *c;
}

// Points XDG_DATA_HOME and XDG_CONFIG_HOME at a temp dir for one test.
struct XdgHome {
    TempDir dir{"trust-xdg"};
    XdgHome() {
        ::setenv("XDG_DATA_HOME", (dir.path / "data").c_str(), 1);
        ::setenv("XDG_CONFIG_HOME", (dir.path / "config").c_str(), 1);
    }
    ~XdgHome() {
        ::unsetenv("XDG_DATA_HOME");
        ::unsetenv("XDG_CONFIG_HOME");
    }
};

}  // namespace

TEST_CASE("privileged settings: programs, key-receiving base URLs and key variables, with their lines", "[trust]") {
    auto c = parse(R"(models:
  - openai/gpt-4o
  - ollama/qwen2.5-coder:7b@http://gpu-box:11434
  - command//usr/bin/judge
  - openai/m@http://127.0.0.1:8000/v1
  - spec: anthropic/claude-sonnet-4-5
    weight: 2
    base_url: https://proxy.example.com
  - spec: openai/gpt-4o-mini
    api_key_env: GITHUB_TOKEN
vote: param
)");
    auto asks = privileged_settings(c);
    REQUIRE(asks.size() == 4);
    CHECK(asks[0].line == 4);
    CHECK(asks[0].what == "runs the program /usr/bin/judge");
    CHECK(asks[1].line == 5);  // loopback too: any process on the machine may listen there
    CHECK(asks[1].key == "spec");
    CHECK(asks[2].line == 8);
    CHECK(asks[2].key == "base_url");
    CHECK(asks[3].line == 10);
    CHECK(asks[3].key == "api_key_env");
    // Models, votes, ignores and systems need no trust; nor does a keyless provider's URL.
    CHECK(privileged_settings(parse("models: [openai/gpt-4o, ollama/x@http://h:1]\nsamples: 5\n"
                                    "ignore: [a]\nsystems: [{glob: '*.xml', system: hdfs}]\n"))
              .empty());
}

TEST_CASE("merge: the repository chooses models; the user's definition brings URL and key variable", "[trust]") {
    auto user = parse("models:\n  - spec: openai/m1@https://corp/v1\n    api_key_env: CORP_KEY\n    rpm: 10\n"
                      "samples: 3\nignore: [u.param]\nrules: {spec: [user-specs/]}\n");
    auto repo = parse("models:\n  - {spec: openai/m1, weight: 2}\n  - ollama/q\nsamples: 5\nignore: [r.param]\n"
                      "rules: {weight: 0.5}\n");
    auto c = merge_configs(user, repo);
    REQUIRE(c.models.size() == 2);
    CHECK(c.models[0].spec == "openai/m1@https://corp/v1");
    CHECK(c.models[0].api_key_env == "CORP_KEY");
    CHECK(c.models[0].rpm == 10);
    CHECK(c.models[0].weight == 2);
    CHECK(c.models[1].spec == "ollama/q");
    CHECK(*c.samples == 5);
    REQUIRE(c.ignore.size() == 2);
    CHECK(c.ignore[0].parameter == "r.param");
    CHECK(c.rules.weight == 0.5);
    CHECK(c.rules.spec == std::vector<std::string>{"user-specs/"});
    // A repository without models keeps the user's.
    CHECK(merge_configs(user, parse("samples: 2\n")).models.size() == 1);
}

TEST_CASE("merge: the repository's weights, facts and jobs are kept; the user's paths stay relative to the user's file",
          "[trust]") {
    auto user_cfg = parse_ciri_config("weights: my-weights.yaml\ncode: /src/hadoop\ncontext: {gpu: A100, nodes: 2}\n"
                                      "jobs: [[a.sbatch, a.json]]\n",
                                      "/home/me/.config/ciri/config.yaml");
    REQUIRE(user_cfg);
    auto repo = parse_ciri_config("weights: w.yaml\ncontext: {gpu: H100}\njobs: [[train.sbatch, ds.json]]\n",
                                  "/repo/.ciri.yaml");
    REQUIRE(repo);
    auto c = merge_configs(*user_cfg, *repo);
    CHECK(c.path == "/repo/.ciri.yaml");
    CHECK(c.weights == "w.yaml");  // relative to the repository's file, as c.path says
    CHECK(c.context == std::map<std::string, std::string>{{"gpu", "H100"}, {"nodes", "2"}});
    REQUIRE(c.jobs.size() == 2);
    CHECK(c.jobs[0] == std::vector<std::string>{"train.sbatch", "ds.json"});
    auto mine = merge_configs(*user_cfg, parse("samples: 2\n"));
    CHECK(mine.weights == "/home/me/.config/ciri/my-weights.yaml");
    CHECK(mine.code == "/src/hadoop");
}

TEST_CASE("merge: the prompt layout keys of the repository win key by key; they need no trust", "[trust]") {
    auto user = parse("file_view: compact\nshot_selection: stable\nvalid_shots: 0\n");
    auto repo = parse("shot_selection: similarity\nmisconfig_shots: 5\n");
    CHECK(privileged_settings(repo).empty());
    CHECK(privileged_settings(parse("file_view: compact\nvalid_shots: 9\n")).empty());
    auto c = merge_configs(user, repo);
    CHECK(c.file_view == "compact");
    CHECK(c.shot_selection == "similarity");
    CHECK(c.valid_shots == 0);
    CHECK(c.misconfig_shots == 5);
}

TEST_CASE("trust store: remembered by content, forgotten on request", "[trust]") {
    XdgHome xdg;
    auto file = write_file(xdg.dir.path / "repo" / ".ciri.yaml", "models: [command//bin/true]\n");
    CHECK_THROWS_AS(load_effective_config(file), UserError);
    auto entry = trust_file(file);
    REQUIRE(entry);
    CHECK(entry->sha256.size() == 64);
    CHECK(is_trusted(file, read_file(file)));
    CHECK(load_effective_config(file).models.size() == 1);
    CHECK(read_file(trust_store_path()).find(entry->sha256 + " " + entry->path.string()) == 0);
    CHECK_FALSE(is_trusted(file, read_file(file) + "# edited\n"));
    write_file(file, "models: [command//bin/false]\n");
    CHECK(trust_state(*entry) == "changed");
    try {
        load_effective_config(file);
        FAIL("an edited file must be refused");
    } catch (const UserError& e) {
        CHECK(std::string(e.what()).find("changed since you trusted it") != std::string::npos);
        CHECK(std::string(e.what()).find(":1: 'spec' runs the program /bin/false") != std::string::npos);
    }
    CHECK(*untrust_file(file));
    CHECK_FALSE(*untrust_file(file));
}

TEST_CASE("privileged settings: templates, shots and specs from outside the repository", "[trust]") {
    auto c = parse_ciri_config("prompt: /home/u/.aws/credentials\nshots: ../../elsewhere\nrules: {spec: [specs/, /etc/x.tsv]}\n",
                               "/repo/.ciri.yaml");
    REQUIRE(c);
    auto asks = privileged_settings(*c);
    REQUIRE(asks.size() == 3);
    CHECK(asks[0].line == 1);
    CHECK(asks[0].key == "prompt");
    CHECK(asks[1].key == "shots");
    CHECK(asks[2].key == "rules.spec");
    CHECK(asks[2].what == "reads /etc/x.tsv, outside the repository");
    auto inside = parse_ciri_config("prompt: default\nshots: datasets/shots\nrules: {spec: [specs/]}\n", "/repo/.ciri.yaml");
    REQUIRE(inside);
    CHECK(privileged_settings(*inside).empty());
}

TEST_CASE("privileged settings: source code from outside the repository", "[trust]") {
    auto c = parse_ciri_config("samples: 1\ncode: ../hadoop/src\n", "/repo/.ciri.yaml");
    REQUIRE(c);
    CHECK(c->code == "../hadoop/src");
    auto asks = privileged_settings(*c);
    REQUIRE(asks.size() == 1);
    CHECK(asks[0].line == 2);
    CHECK(asks[0].key == "code");
    CHECK(asks[0].what == "reads ../hadoop/src, outside the repository");
    auto inside = parse_ciri_config("code: vendor/hadoop\n", "/repo/.ciri.yaml");
    REQUIRE(inside);
    CHECK(privileged_settings(*inside).empty());
    CHECK(merge_configs(CiriConfig{}, *inside).code == "vendor/hadoop");
}

TEST_CASE("privileged settings: a weights file outside the repository needs trust; one inside does not", "[trust]") {
    TempDir dir("trust-weights");
    auto at = [&](const std::string& text) {
        auto c = parse_ciri_config(text, (dir.path / ".ciri.yaml").string());
        REQUIRE(c);
        return privileged_settings(*c);
    };
    auto asks = at("samples: 3\nweights: /etc/passwd\n");
    REQUIRE(asks.size() == 1);
    CHECK(asks[0].key == "weights");
    CHECK(asks[0].line == 2);
    CHECK(asks[0].what == "reads /etc/passwd, outside the repository");
    CHECK(at("weights: ../../elsewhere.yaml\n").size() == 1);
    CHECK(at("weights: ci/weights.yaml\n").empty());
}
