// End to end: a repository's .ciri.yaml may not run programs or send keys until trusted.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/backends/llm_test_env.hpp"
#include "tests/cli/cli_run.hpp"

using namespace ciri::test;

namespace {

// A repository with one config file, and a private XDG home so tests never touch the user's.
struct Repo {
    TempDir dir{"trust"};
    std::filesystem::path repo = dir.path / "repo";
    std::filesystem::path file = write_file(repo / "app.properties", "db.pool.size=20\n");
    std::string env = "cd '" + repo.string() + "' && XDG_CONFIG_HOME='" + (dir.path / "config").string() +
                      "' XDG_DATA_HOME='" + (dir.path / "data").string() + "' OPENAI_API_KEY=sk-test-DoNotSend4f9XqL2mZ8";

    CliResult ciri(std::vector<std::string> args) const { return run_ciri_binary(env, args, dir.path); }
    CliResult validate() const { return ciri({"validate", "--no-cache", "--no-rules", "app.properties"}); }
};

std::string answer_valid() {
    return "```json\n{\"hasError\": false, \"errParameter\": [], \"reason\": []}\n```";
}

}  // namespace

TEST_CASE("trust: an untrusted command// backend runs nothing; trusted it runs; edited it is refused", "[cli][trust]") {
    Repo r;
    auto marker = r.dir.path / "ran";
    auto prog = write_file(r.dir.path / "judge.sh",
                           "#!/bin/sh\ntouch '" + marker.string() + "'\ncat >/dev/null\necho '" + answer_valid() + "'\n");
    ::chmod(prog.c_str(), 0755);
    auto config = write_file(r.repo / ".ciri.yaml", "samples: 1\nmodels:\n  - command/" + prog.string() + "\n");

    auto refused = r.validate();
    CHECK(refused.code == 2);
    CHECK_FALSE(std::filesystem::exists(marker));
    CHECK(refused.err.find(".ciri.yaml:3: 'spec' runs the program") != std::string::npos);
    CHECK(refused.err.find("ciri trust " + config.string()) != std::string::npos);

    auto trusted = r.ciri({"trust"});
    INFO(trusted.err);
    REQUIRE(trusted.code == 0);
    CHECK(trusted.out.find("runs the program") != std::string::npos);
    auto ran = r.validate();
    INFO(ran.err);
    CHECK(ran.code == 0);
    CHECK(std::filesystem::exists(marker));
    CHECK(r.ciri({"trust", "--list"}).out.find("trusted") != std::string::npos);

    std::filesystem::remove(marker);
    write_file(config, "samples: 2\nmodels:\n  - command/" + prog.string() + "\n");
    auto edited = r.validate();
    CHECK(edited.code == 2);
    CHECK(edited.err.find("changed since you trusted it") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(marker));
    CHECK(r.ciri({"trust", "--list"}).out.find("changed") != std::string::npos);

    REQUIRE(r.ciri({"trust", config.string()}).code == 0);
    CHECK(r.validate().code == 0);
    REQUIRE(r.ciri({"untrust"}).code == 0);
    CHECK(r.validate().code == 2);
    CHECK(r.ciri({"untrust"}).code == 2);  // not trusted any more
}

TEST_CASE("trust: an untrusted key-receiving base URL or api_key_env sends nothing", "[cli][trust][emulator]") {
    Repo r;
    EmulatorProcess emu(script_args(r.dir, nlohmann::json{{"default", answer_valid()}}.dump()));
    std::string url = emu.base_url() + "/v1";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"models:\n  - openai/m1@" + url + "\n", ".ciri.yaml:3: 'spec' sends openai's key to " + url},
        {"models:\n  - spec: openai/m1\n    base_url: " + url + "\n", ".ciri.yaml:4: 'base_url' sends openai's key"},
        {"models:\n  - spec: ollama/m1\n    api_key_env: AWS_SECRET_ACCESS_KEY\n",
         ".ciri.yaml:4: 'api_key_env' sends the value of $AWS_SECRET_ACCESS_KEY"},
    };
    for (const auto& [yaml, said] : cases) {
        auto config = write_file(r.repo / ".ciri.yaml", "samples: 1\n" + yaml);
        emu.reset();
        auto refused = r.validate();
        INFO(yaml << refused.err);
        CHECK(refused.code == 2);
        CHECK(refused.err.find(said) != std::string::npos);
        CHECK(refused.err.find("ciri trust") != std::string::npos);
        CHECK(emu.stats()["requests"] == 0);
    }
    // Trusted, the same file may send the key to the URL it names.
    write_file(r.repo / ".ciri.yaml", "samples: 1\n" + cases[0].first);
    REQUIRE(r.ciri({"trust", ".ciri.yaml"}).code == 0);
    emu.reset();
    auto ran = r.validate();
    INFO(ran.err);
    CHECK(ran.code == 0);
    CHECK(emu.stats()["requests"] == 1);
}

TEST_CASE("trust: the user's own configuration may name base URLs and key variables; the repository picks the model",
          "[cli][trust][emulator]") {
    Repo r;
    EmulatorProcess emu(script_args(r.dir, nlohmann::json{{"default", answer_valid()}}.dump()));
    write_file(r.dir.path / "config" / "ciri" / "config.yaml",
               "models:\n  - spec: openai/m1@" + emu.base_url() + "/v1\n    api_key_env: MY_KEY\n");
    write_file(r.repo / ".ciri.yaml", "samples: 1\nmodels:\n  - {spec: openai/m1, weight: 2}\nvote: param\n");
    auto ran = r.validate();
    INFO(ran.err);
    CHECK(ran.code == 0);
    CHECK(emu.stats()["requests"] == 1);
    // --no-config reads neither file: no model, the rules voter alone would run.
    auto none = r.ciri({"validate", "--no-config", "--no-rules", "app.properties"});
    CHECK(none.code == 2);
}

TEST_CASE("trust: code outside the repository is not read until trusted", "[cli][trust][emulator][code]") {
    Repo r;
    std::filesystem::copy(std::filesystem::path(CIRI_SOURCE_DIR) / "tests/fixtures/code/java", r.dir.path / "src");
    auto log = r.dir.path / "requests.jsonl";
    EmulatorProcess emu(script_args(r.dir, nlohmann::json{{"default", answer_valid()}}.dump(), {"--log", log.string()}));
    write_file(r.repo / "hdfs.properties", "dfs.replication=0\n");
    write_file(r.repo / ".ciri.yaml", "samples: 1\ncode: ../src\n");
    std::vector<std::string> args = {"validate", "--no-cache", "--no-rules", "-m", "openai/m1@" + emu.base_url() + "/v1",
                                     "hdfs.properties"};
    auto refused = r.ciri(args);
    INFO(refused.err);
    CHECK(refused.code == 2);
    CHECK(refused.err.find(".ciri.yaml:2: 'code' reads ../src, outside the repository") != std::string::npos);
    CHECK(emu.stats()["requests"] == 0);

    REQUIRE(r.ciri({"trust", ".ciri.yaml"}).code == 0);
    auto ran = r.ciri(args);
    INFO(ran.err);
    CHECK(ran.code == 0);
    CHECK(read_file(log).find("replication < 1 || replication > 512") != std::string::npos);
}
