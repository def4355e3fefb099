// End to end: the `ciri` binary against the loopback LLM emulator.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tinyxml2.h>

#include <filesystem>
#include <map>
#include <set>

#include "tests/backends/llm_test_env.hpp"
#include "tests/cli/cli_run.hpp"
#include "tests/support/json_schema_check.hpp"
#include "tests/support/paths.hpp"

using namespace ciri::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kHdfs = R"(<?xml version="1.0"?>
<configuration>
  <property>
    <name>dfs.replication</name>
    <value>3</value>
  </property>
  <property>
    <name>dfs.datanode.http.address</name>
    <value>0.0.0.0:98640</value>
  </property>
  <property>
    <name>dfs.blocksize</name>
    <value>128m</value>
  </property>
</configuration>
)";

std::string answer(const std::vector<std::string>& params, const std::string& reason = "the value is wrong") {
    json j = {{"hasError", !params.empty()}, {"errParameter", params},
              {"reason", params.empty() ? json::array() : json(std::vector<std::string>(params.size(), reason))}};
    return "```json\n" + j.dump() + "\n```";
}

json rule(const std::string& match, const std::vector<std::string>& responses, const std::string& model = "") {
    json r = {{"match", match}, {"responses", json::array()}};
    for (const auto& a : responses) r["responses"].push_back({{"answer", a}});
    if (!model.empty()) r["model"] = model;
    return r;
}

// An emulator whose answer names the bad port of kHdfs, and a valid answer otherwise.
std::vector<std::string> port_script(const TempDir& dir, std::vector<std::string> extra = {}) {
    json script = {{"rules", {rule("98640", {answer({"dfs.datanode.http.address"}, "port 98640 is out of range")})}},
                   {"default", answer({})}};
    return script_args(dir, script.dump(), std::move(extra));
}

std::string model_at(const EmulatorProcess& emu, const std::string& name = "m1") {
    return "openai/" + name + "@" + emu.base_url() + "/v1";
}

}  // namespace

TEST_CASE("validate: a misconfigured file exits 1 with path:line, value, reason and votes", "[cli][validate][emulator]") {
    TempDir dir("validate-bad");
    EmulatorProcess emu(port_script(dir));
    auto file = write_file(dir.path / "hdfs-site.xml", kHdfs);
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-m", model_at(emu), file.string()}, dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.out.find(file.string() + ":8: dfs.datanode.http.address = 0.0.0.0:98640: port 98640 is out of range "
                     "[votes 1/1: openai/m1]") != std::string::npos);
    CHECK(r.out.find("1 file: 1 misconfigured, 0 valid, 0 inconclusive") != std::string::npos);
    // samples=3 on an n-capable backend: one request carrying three samples.
    CHECK(emu.stats()["requests"] == 1);
    CHECK(emu.stats()["samples"] == 3);
}

TEST_CASE("validate: a valid file exits 0; every output format in one run", "[cli][validate][emulator]") {
    TempDir dir("validate-formats");
    EmulatorProcess emu(port_script(dir));
    auto bad = write_file(dir.path / "hdfs-site.xml", kHdfs);
    auto good = write_file(dir.path / "redis.conf", "port 6379\nmaxmemory 2gb\nappendonly yes\n");
    auto ok = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-m", model_at(emu), good.string()}, dir.path);
    CHECK(ok.code == 0);
    CHECK(ok.out.find("redis.conf (redis): valid") != std::string::npos);

    auto p = [&](const char* name) { return (dir.path / name).string(); };
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-m", model_at(emu), "-f", "json",
                                  "-f", "sarif=" + p("out.sarif"), "-f", "junit=" + p("out.xml"), "-f",
                                  "github=" + p("out.github"), bad.string(), good.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    auto j = json::parse(r.out);
    REQUIRE(j["files"].size() == 2);
    CHECK(j["files"][0]["verdict"] == "misconfigured");
    CHECK(j["files"][0]["findings"][0]["parameter"] == "dfs.datanode.http.address");
    CHECK(j["files"][0]["findings"][0]["line"] == 8);
    CHECK(j["files"][0]["findings"][0]["value"] == "0.0.0.0:98640");
    CHECK(j["files"][1]["verdict"] == "valid");
    CHECK(j["summary"]["misconfigured"] == 1);
    CHECK(j["usage"]["requests"] == 2);
    CHECK(j["usage"]["prompt_tokens"].get<long>() > 0);

    // SARIF: the fields GitHub code scanning requires.
    auto sarif = json::parse(read_file(p("out.sarif")));
    CHECK(sarif["version"] == "2.1.0");
    CHECK(sarif["runs"][0]["tool"]["driver"]["name"] == "ciri");
    const auto& res = sarif["runs"][0]["results"];
    REQUIRE(res.size() == 1);
    CHECK(res[0]["ruleId"] == "ciri/misconfiguration");
    CHECK(res[0]["message"]["text"].get<std::string>().find("port 98640") != std::string::npos);
    CHECK(res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    CHECK(res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 8);

    tinyxml2::XMLDocument junit;
    REQUIRE(junit.LoadFile(p("out.xml").c_str()) == tinyxml2::XML_SUCCESS);
    auto* suite = junit.FirstChildElement("testsuites")->FirstChildElement("testsuite");
    CHECK(suite->IntAttribute("tests") == 2);
    CHECK(suite->IntAttribute("failures") == 1);

    std::string gh = read_file(p("out.github"));
    CHECK(gh.find("::error file=" + bad.string() + ",line=8,") == 0);
}

TEST_CASE("validate: suppressions in the file and in .ciri.yaml", "[cli][validate][emulator]") {
    TempDir dir("validate-suppress");
    EmulatorProcess emu(port_script(dir));
    std::string text = kHdfs;
    text.insert(text.find("<configuration>"), "<!-- ciri:ignore dfs.datanode.http.address test cluster port -->\n");
    auto file = write_file(dir.path / "hdfs-site.xml", text);
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-f", "json", "-m", model_at(emu), file.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 0);
    auto j = json::parse(r.out);
    CHECK(j["files"][0]["verdict"] == "valid");
    CHECK(j["files"][0]["findings"].empty());
    REQUIRE(j["files"][0]["suppressed"].size() == 1);
    CHECK(j["files"][0]["suppressed"][0]["suppressed"] == "test cluster port");
    CHECK(j["summary"]["suppressed"] == 1);

    auto plain = write_file(dir.path / "plain" / "hdfs-site.xml", (std::filesystem::create_directories(dir.path / "plain"), kHdfs));
    auto cfg = write_file(dir.path / "ciri.yaml",
                          "ignore:\n  - {parameter: dfs.datanode.*, glob: \"*.xml\", reason: accepted}\n");
    auto r2 = run_ciri_binary("", {"validate", "--config", cfg.string(), "--no-rules", "--no-cache", "-m", model_at(emu),
                                   plain.string()},
                              dir.path);
    CHECK(r2.code == 0);
    CHECK(r2.out.find("(suppressed: accepted)") != std::string::npos);
}

TEST_CASE("validate: several backends vote per parameter", "[cli][validate][emulator]") {
    TempDir dir("validate-vote");
    // Two of three models blame the port, one blames the replication: only the port passes.
    json script = {{"rules",
                    {rule("98640", {answer({"dfs.datanode.http.address"})}, "a"),
                     rule("98640", {answer({"dfs.datanode.http.address"})}, "b"),
                     rule("98640", {answer({"dfs.replication"})}, "c")}},
                   {"default", answer({})}};
    EmulatorProcess emu(script_args(dir, script.dump()));
    auto file = write_file(dir.path / "hdfs-site.xml", kHdfs);
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-f", "json", "-m", model_at(emu, "a"), "-m",
                                  model_at(emu, "b"), "-m", model_at(emu, "c"), file.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    auto j = json::parse(r.out);
    const auto& findings = j["files"][0]["findings"];
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["parameter"] == "dfs.datanode.http.address");
    CHECK(findings[0]["votes"].get<double>() == Approx(2));
    CHECK(findings[0]["total"] == 3);
    CHECK(findings[0]["voters"].size() == 2);
    // Spend per backend, in the order configured; the three add up to the run's.
    const auto& backends = j["usage"]["backends"];
    REQUIRE(backends.size() == 3);
    long prompt = 0;
    for (size_t i = 0; i < 3; ++i) {
        CHECK(backends[i]["model"].get<std::string>().find(std::string("openai/") + "abc"[i]) == 0);
        CHECK(backends[i]["requests"].get<long>() >= 1);
        CHECK(backends[i]["prompt_tokens"].get<long>() > 0);
        prompt += backends[i]["prompt_tokens"].get<long>();
    }
    CHECK(prompt == j["usage"]["prompt_tokens"].get<long>());
    // The terminal summary splits the spend too.
    auto human = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-m", model_at(emu, "a"), "-m",
                                      model_at(emu, "b"), file.string()},
                                 dir.path);
    CHECK(human.out.find("  openai/a@") != std::string::npos);
    CHECK(human.out.find(" cached), ") != std::string::npos);

    // The paper's vote per backend, then a weighted majority of backends, agrees here.
    auto c = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "--vote", "ciri", "-f", "json", "-m",
                                  model_at(emu, "a"), "-m", model_at(emu, "b"), "-m", model_at(emu, "c"), file.string()},
                             dir.path);
    CHECK(c.code == 1);
}

TEST_CASE("validate: a down backend is skipped and counted; with none left the file is inconclusive",
          "[cli][validate][emulator]") {
    TempDir dir("validate-down");
    EmulatorProcess emu(port_script(dir));
    auto file = write_file(dir.path / "hdfs-site.xml", kHdfs);
    std::string dead = "openai/gone@http://127.0.0.1:9/v1";  // discard port: nothing listens
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-f", "json", "-m", model_at(emu), "-m", dead,
                                  file.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    auto j = json::parse(r.out);
    CHECK(j["files"][0]["verdict"] == "misconfigured");
    bool noted = false;
    for (const auto& n : j["files"][0]["notes"]) noted |= n.get<std::string>().find("openai/gone") != std::string::npos;
    CHECK(noted);

    auto only_dead = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-m", dead, file.string()}, dir.path);
    CHECK(only_dead.code == 3);
    CHECK(only_dead.out.find("inconclusive") != std::string::npos);
    // The rules voter still speaks when the LLM is down: a certain finding is reported.
    auto with_rules = run_ciri_binary("", {"validate", "--no-cache", "-m", dead, file.string()}, dir.path);
    CHECK(with_rules.code == 1);
    // ...but it cannot call a file valid on its own when the LLM asked for never answered.
    auto clean = write_file(dir.path / "core-site.xml", "<configuration>\n<property>\n<name>fs.defaultFS</name>\n"
                                                         "<value>hdfs://nn:8020</value>\n</property>\n</configuration>\n");
    auto unsure = run_ciri_binary("", {"validate", "--no-cache", "-m", dead, clean.string()}, dir.path);
    CHECK(unsure.code == 3);
}

TEST_CASE("validate: secrets are redacted before they reach the LLM", "[cli][validate][emulator][redact]") {
    TempDir dir("validate-redact");
    auto log = dir.path / "requests.jsonl";
    EmulatorProcess emu(port_script(dir, {"--log", log.string()}));
    auto file = write_file(dir.path / "app.properties",
                           "db.url=jdbc:postgresql://db:5432/shop\ndb.password=hunter2-Sup3rSecret\ndb.pool.size=20\n");
    auto r = run_ciri_binary("", {"validate", "--no-cache", "-m", model_at(emu), file.string()}, dir.path);
    INFO(r.err);
    CHECK(r.code == 0);
    std::string sent = read_file(log);
    CHECK(sent.find("db.pool.size") != std::string::npos);
    CHECK(sent.find("hunter2-Sup3rSecret") == std::string::npos);
    CHECK(sent.find("<redacted-1>") != std::string::npos);

    auto raw = run_ciri_binary("", {"validate", "--no-cache", "--no-redact", "-m", model_at(emu), file.string()}, dir.path);
    CHECK(raw.code == 0);
    CHECK(read_file(log).find("hunter2-Sup3rSecret") != std::string::npos);
}

TEST_CASE("validate: reports mask a secret value unless --show-secrets", "[cli][validate][emulator][redact]") {
    TempDir dir("validate-mask");
    json script = {{"rules", {rule("db.password", {answer({"db.password"}, "the password is too weak")})}},
                   {"default", answer({})}};
    EmulatorProcess emu(script_args(dir, script.dump()));
    auto file = write_file(dir.path / "app.properties", "db.user=shop\ndb.password=hunter2-Sup3rSecret\n");
    for (const char* format : {"human", "json", "sarif", "junit", "github"}) {
        auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "--samples", "1", "-f", format, "-m",
                                      model_at(emu), file.string()}, dir.path);
        INFO(format << ": " << r.out << r.err);
        CHECK(r.code == 1);
        CHECK(r.out.find("db.password") != std::string::npos);
        CHECK(r.out.find("hunter2-Sup3rSecret") == std::string::npos);
    }
    auto shown = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "--samples", "1", "--show-secrets", "-m",
                                      model_at(emu), file.string()}, dir.path);
    CHECK(shown.out.find("db.password = hunter2-Sup3rSecret") != std::string::npos);
}

TEST_CASE("validate: a directory of mixed formats, recursed; a syntax error is a finding", "[cli][validate][emulator]") {
    TempDir dir("validate-dir");
    EmulatorProcess emu(port_script(dir));
    auto conf = dir.path / "conf";
    std::filesystem::create_directories(conf / "nested");
    std::filesystem::create_directories(conf / ".git");
    write_file(conf / "hdfs-site.xml", kHdfs);
    write_file(conf / "nested" / "ds_config.json", "{\n  \"train_batch_size\": 16,\n  \"fp16\": {\"enabled\": true}\n}\n");
    write_file(conf / "nested" / "redis.conf", "port 6379\n");
    write_file(conf / "README.md", "# not a config\n");
    write_file(conf / ".git" / "config", "[core]\nbare = false\n");
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-f", "json", "-m", model_at(emu), conf.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    auto j = json::parse(r.out);
    REQUIRE(j["files"].size() == 3);
    std::set<std::string> systems;
    for (const auto& f : j["files"]) systems.insert(f["system"].get<std::string>());
    CHECK(systems == std::set<std::string>{"hdfs", "deepspeed", "redis"});

    write_file(conf / "broken.json", "{\n  \"a\": 1,\n  \"b\": \n}\n");
    auto broken = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-m", model_at(emu), conf.string()}, dir.path);
    CHECK(broken.code == 1);
    CHECK(broken.out.find("broken.json: misconfigured") != std::string::npos);
    CHECK(broken.out.find("broken.json:4: syntax error:") != std::string::npos);
    CHECK(broken.out.find("hdfs-site.xml (hdfs): misconfigured") != std::string::npos);  // the others still ran
}

TEST_CASE("validate: syntax errors are findings with their line and parameter; exit 1, not 2", "[cli][validate]") {
    TempDir dir("validate-syntax");
    auto etcd = write_file(dir.path / "etcd.yaml", "name: infra0\ndata-dir: /var/lib/etcd\ndiscovery: file:::\n");
    auto pg = write_file(dir.path / "postgresql.conf", "port = 5432\n'oops\nwork_mem = 4MB\n");
    auto r = run_ciri_binary("", {"validate", "--no-config", "-f", "json", etcd.string(), pg.string()}, dir.path);
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    auto j = json::parse(r.out);
    REQUIRE(j["files"].size() == 2);
    const auto& y = j["files"][0];
    CHECK(y["verdict"] == "misconfigured");
    CHECK(y["parameters"] == 2);  // those read before the error
    REQUIRE(y["findings"].size() == 1);
    CHECK(y["findings"][0]["kind"] == "syntax");
    CHECK(y["findings"][0]["line"] == 3);
    CHECK(y["findings"][0]["parameter"] == "discovery");
    const auto& c = j["files"][1];
    CHECK(c["verdict"] == "misconfigured");
    CHECK(c["parameters"] == 2);  // every other line is still read
    CHECK(c["findings"][0]["line"] == 2);
    // What is not a configuration stays an input error.
    auto bin = write_file(dir.path / "x.json", std::string("{\"a\":\0}", 8));
    CHECK(run_ciri_binary("", {"validate", "--no-config", bin.string()}, dir.path).code == 2);
}

TEST_CASE("validate: invalid answers are re-asked, hallucinated parameters dropped", "[cli][validate][emulator]") {
    TempDir dir("validate-invalid");
    // One sample per request (ollama): an answer that breaks the schema, one naming a
    // parameter that is not in the file, then good answers.
    json script = {{"rules",
                    {rule("98640", {"I think it is fine?", answer({"dfs.no.such.parameter"}),
                                    answer({"dfs.datanode.http.address"}), answer({"dfs.datanode.http.address"})})}},
                   {"default", answer({})}};
    EmulatorProcess emu(script_args(dir, script.dump()));
    auto file = write_file(dir.path / "hdfs-site.xml", kHdfs);
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "-f", "json", "-m",
                                  "ollama/q@" + emu.base_url(), file.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    auto j = json::parse(r.out);
    CHECK(j["files"][0]["findings"][0]["parameter"] == "dfs.datanode.http.address");
    CHECK(j["usage"]["invalid_answers"] == 1);
    CHECK(j["usage"]["hallucinated_parameters"] == 1);
    // 2 first (a majority of 3), then 2 more to replace the invalid answer and settle the vote.
    CHECK(emu.stats()["requests"].get<int>() >= 4);
}

TEST_CASE("validate: standard input with --input-format and --system", "[cli][validate][emulator]") {
    TempDir dir("validate-stdin");
    EmulatorProcess emu(port_script(dir));
    auto input = write_file(dir.path / "in.txt", kHdfs);
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "--input-format", "hadoop-xml", "--system", "hdfs",
                                  "-m", model_at(emu), "-"},
                             dir.path, input.string());
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.out.find("<stdin>:8: dfs.datanode.http.address") != std::string::npos);
}

TEST_CASE("validate: without an LLM the rules voter runs alone and says so", "[cli][validate]") {
    TempDir dir("validate-rules");
    auto file = write_file(dir.path / "redis.conf", "port 6379\n");
    auto r = run_ciri_binary("", {"validate", "--no-config", file.string()}, dir.path);
    CHECK(r.code == 0);
    CHECK(r.err.find("no LLM configured") != std::string::npos);
    CHECK(r.err.find("OPENAI_API_KEY") != std::string::npos);
    auto none = run_ciri_binary("", {"validate", "--no-config", "--no-rules", file.string()}, dir.path);
    CHECK(none.code == 2);
    CHECK(none.err.find("ciri: error: nothing to validate with") == 0);
}

TEST_CASE("validate: a file of undetected software says only generic shapes were checked", "[cli][validate]") {
    TempDir dir("validate-undetected");
    auto file = write_file(dir.path / "thing.conf", "foo = 1\nbar_size = 10MB\nmode = fast\n");
    auto r = run_ciri_binary("", {"validate", "--no-config", file.string()}, dir.path);
    CHECK(r.code == 0);
    CHECK(r.out.find("system not detected: the rules checked only generic value shapes") != std::string::npos);
    CHECK(r.out.find("--system NAME") != std::string::npos);
    auto j = run_ciri_binary("", {"validate", "--no-config", "-f", "json", file.string()}, dir.path);
    CHECK(j.out.find("system not detected") != std::string::npos);
    // Named, the file is checked as that system's and the note goes away.
    auto named = run_ciri_binary("", {"validate", "--no-config", "--system", "redis", file.string()}, dir.path);
    CHECK(named.out.find("system not detected") == std::string::npos);
}

TEST_CASE("validate: prompt tokens written to Anthropic's cache are reported apart", "[cli][validate][emulator]") {
    TempDir dir("validate-cache-write");
    EmulatorProcess emu(script_args(dir, json({{"default", answer({})}}).dump()));
    // Two files of one system with the same stable prefix: the first writes it, the second reads it.
    auto a = write_file(dir.path / "a" / "hdfs-site.xml", kHdfs);
    auto b = write_file(dir.path / "b" / "hdfs-site.xml", kHdfs + std::string("\n"));
    std::string model = "anthropic/c@" + emu.base_url();
    auto r = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "--samples", "1", "--max-in-flight", "1",
                                  "--shot-selection", "stable", "-f", "json", "-m", model, a.string(), b.string()},
                             dir.path);
    INFO(r.err);
    auto j = json::parse(r.out);
    const auto& usage = j["usage"];
    CHECK(usage["cache_write_prompt_tokens"].get<long>() > 0);
    CHECK(usage["cached_prompt_tokens"].get<long>() > 0);
    REQUIRE(usage["backends"].size() == 1);
    CHECK(usage["backends"][0]["cache_write_prompt_tokens"] == usage["cache_write_prompt_tokens"]);
    // Another model: the emulator's cache is per model, so this run writes its prefix again.
    auto human = run_ciri_binary("", {"validate", "--no-rules", "--no-cache", "--samples", "1", "--max-in-flight", "1",
                                      "--shot-selection", "stable", "-m", "anthropic/d@" + emu.base_url(), a.string(),
                                      b.string()},
                                 dir.path);
    CHECK(human.out.find(" written to the cache), ") != std::string::npos);
}

TEST_CASE("validate: .ciri.yaml lays out the prompt, a flag beats its key, a bad value is an error at its line",
          "[cli][validate][emulator][config]") {
    TempDir dir("validate-layout");
    auto log = dir.path / "requests.jsonl";
    EmulatorProcess emu(script_args(dir, json({{"default", answer({})}}).dump(), {"--log", log.string()}));
    auto file = write_file(dir.path / "slurm.conf", "# the test cluster\nClusterName=c1\nSlurmctldPort=6817\n");
    auto cfg = write_file(dir.path / ".ciri.yaml", "file_view: compact\nvalid_shots: 0\nmisconfig_shots: 1\n");
    // Run in the directory, so its .ciri.yaml is found; the user's own configuration is left out.
    std::string env = "cd '" + dir.path.string() + "' && XDG_CONFIG_HOME='" + (dir.path / "xdg").string() + "'";
    // What the emulator was sent by one run, found from the current directory's .ciri.yaml.
    auto sent = [&](const std::vector<std::string>& flags) {
        size_t before = fs::exists(log) ? read_file(log).size() : 0;
        std::vector<std::string> args = {"validate", "--no-rules", "--no-cache", "--samples", "1", "-m", model_at(emu)};
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back(file.string());
        auto r = run_ciri_binary(env, args, dir.path);
        INFO(r.err);
        CHECK(r.code == 0);
        return read_file(log).substr(before);
    };
    std::string compact = sent({});
    CHECK(compact.find("2: ClusterName = c1") != std::string::npos);
    CHECK(compact.find("shown one parameter per line") != std::string::npos);
    CHECK(compact.find("the test cluster") == std::string::npos);
    CHECK(compact.find("Example 1: a misconfiguration") != std::string::npos);
    CHECK(compact.find("Example 2:") == std::string::npos);

    std::string raw = sent({"--file-view", "raw", "--valid-shots", "1"});
    CHECK(raw.find("# the test cluster") != std::string::npos);
    CHECK(raw.find("2: ClusterName = c1") == std::string::npos);
    CHECK(raw.find("shown one parameter per line") == std::string::npos);
    CHECK(raw.find("Example 2: a valid configuration") != std::string::npos);

    write_file(cfg, "samples: 1\nfile_view: compcat\n");
    auto bad = run_ciri_binary(env, {"validate", "--no-cache", "-m", model_at(emu), file.string()}, dir.path);
    CHECK(bad.code == 2);
    CHECK(bad.err.find(".ciri.yaml:2: error: 'file_view' must be raw or compact") != std::string::npos);
    // The flag does not excuse the file: it is refused as it stands.
    CHECK(run_ciri_binary(env, {"validate", "--file-view", "raw", "-m", model_at(emu), file.string()}, dir.path).code == 2);
}

TEST_CASE("validate: in the compact view a shot that does not parse is shown as written, and the file's notes say so",
          "[cli][validate][emulator]") {
    TempDir dir("validate-raw-shot");
    auto log = dir.path / "requests.jsonl";
    EmulatorProcess emu(script_args(dir, json({{"default", answer({})}}).dump(), {"--log", log.string()}));
    auto file = write_file(dir.path / "slurm.conf", "ClusterName=c1\nSlurmctldPort=6817\n");
    write_file(dir.path / "pool" / "slurm" / "shots" / "broken.shot",
               "kind: misconfig\ncategory: syntax\nanswer: {\"hasError\": true, \"errParameter\": [\"SlurmdPort\"], "
               "\"reason\": [\"not a port\"]}\n---\nClusterName=x\nnot a setting\nSlurmdPort=ten\n");
    auto r = run_ciri_binary("", {"validate", "--no-config", "--no-rules", "--no-cache", "--samples", "1", "-f", "json",
                                  "--file-view", "compact", "--shots", (dir.path / "pool").string(), "-m",
                                  model_at(emu), file.string()},
                             dir.path);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(read_file(log).find("not a setting") != std::string::npos);
    auto notes = json::parse(r.out)["files"][0]["notes"];
    CHECK(std::ranges::count(notes, json("compact view: shot slurm/broken shown as written: its config does not parse")) == 1);
}

TEST_CASE("validate: usage errors exit 2", "[cli][validate]") {
    TempDir dir("validate-usage");
    auto file = write_file(dir.path / "redis.conf", "port 6379\n");
    CHECK(run_ciri_binary("", {"validate", "-f", "yaml", file.string()}, dir.path).code == 2);
    CHECK(run_ciri_binary("", {"validate", "--vote", "majority", file.string()}, dir.path).code == 2);
    CHECK(run_ciri_binary("", {"validate", "-m", "nonsense", file.string()}, dir.path).code == 2);
    auto bad_cfg = write_file(dir.path / "bad.yaml", "sample: 3\n");
    auto r = run_ciri_binary("", {"validate", "--config", bad_cfg.string(), file.string()}, dir.path);
    CHECK(r.code == 2);
    CHECK(r.err.find("bad.yaml:1: error: unknown key 'sample'") != std::string::npos);
}

TEST_CASE("validate: an LLM answering 'no error' does not silence the rules' certain findings",
          "[cli][validate][emulator][vote]") {
    TempDir dir("validate-no-error");
    EmulatorProcess emu(script_args(dir, json({{"default", answer({})}}).dump()));
    auto examples = (source_dir() / "examples").string();
    json last;  // the JSON report of the latest run
    auto verdicts = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args = {"validate", "--no-cache", "-f", "json", "-m", model_at(emu)};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(examples);
        auto r = run_ciri_binary("", args, dir.path);
        INFO(r.err);
        std::map<std::string, std::string> out;
        json j = json::parse(r.out);
        for (const auto& f : j["files"])
            out[fs::path(f["path"].get<std::string>()).filename().string()] = f["verdict"];
        last = j;
        return std::pair{r.code, out};
    };
    // The rules' sure findings stand alone: a DeepSpeed constraint of the spec table (1.0), a
    // port out of range in a documented table's row (0.9), a minimum above its maximum (0.8).
    auto [code, files] = verdicts({});
    CHECK(code == 1);
    CHECK(files["ds_config.json"] == "misconfigured");
    CHECK(files["hdfs-site.xml"] == "misconfigured");
    CHECK(files["postgresql.conf"] == "misconfigured");
    // `appendfsync always-ish`: redis-server refuses it (its enumeration, learned from the server).
    CHECK(files["redis.conf"] == "misconfigured");
    // The LLM read every parameter and called it fine: the tally counts it, and names it.
    for (const auto& f : last["files"])
        for (const auto& finding : f["findings"]) {
            INFO(finding.dump());
            CHECK(finding["total"] == 2.0);
            CHECK(finding["votes"] == 1.0);
            CHECK(finding["voters"] == json::array({"rules"}));
            CHECK(finding["dissent"] == json::array({"openai/m1"}));
        }
    auto human = run_ciri_binary("", {"validate", "--no-cache", "-m", model_at(emu),
                                      (source_dir() / "examples" / "redis.conf").string()},
                                 dir.path);
    CHECK(human.out.find("[votes 1/2: rules; fine to: openai/m1 (a certain rules finding stands alone)]") !=
          std::string::npos);
    // Made one vote among two, it ties with the LLM's "ok": no majority.
    auto [off_code, off] = verdicts({"--no-rules-decisive"});
    CHECK(off["ds_config.json"] == "valid");
    // The log-odds vote weighs the rules' measured reliability against an uncalibrated LLM's:
    // every file the rules alone call misconfigured stays so.
    auto [lo_code, lo] = verdicts({"--no-rules-decisive", "--vote", "log-odds"});
    CHECK(lo_code == 1);
    for (const char* f : {"ds_config.json", "hdfs-site.xml", "postgresql.conf"}) {
        INFO(f);
        CHECK(lo[f] == "misconfigured");
    }
}

TEST_CASE("validate: log-odds weights fitted with the rules are not used without them", "[cli][validate][emulator][vote]") {
    TempDir dir("validate-logodds-no-rules");
    auto port_answer = answer({"dfs.datanode.http.address"});
    EmulatorProcess emu(script_args(dir, json({{"default", port_answer}}).dump()));
    auto file = (source_dir() / "examples" / "hdfs-site.xml").string();
    std::string second = "openai/m2@" + model_at(emu).substr(model_at(emu).find('@') + 1);
    // Two LLMs name the port: the shipped threshold, fitted for rules + 8 LLMs, would hide it.
    auto two = run_ciri_binary("", {"validate", "--no-cache", "--no-rules", "--vote", "log-odds", "-m", model_at(emu),
                                    "-m", second, file},
                               dir.path);
    INFO(two.err);
    CHECK(two.code == 1);
    CHECK(two.err.find("without them (--no-rules) the param vote decides") != std::string::npos);
    // One LLM alone decides by its own majority under log-odds too.
    auto one = run_ciri_binary("", {"validate", "--no-cache", "--no-rules", "--vote", "log-odds", "-m", model_at(emu), file},
                               dir.path);
    CHECK(one.code == 1);
    CHECK(one.out.find("dfs.datanode.http.address") != std::string::npos);
}

TEST_CASE("validate: a backend going down never turns a file valid", "[cli][validate][emulator][vote]") {
    TempDir dir("validate-never-valid");
    EmulatorProcess emu(script_args(dir, json({{"default", answer({})}}).dump()));
    auto clean = write_file(dir.path / "core-site.xml", "<configuration>\n<property>\n<name>fs.defaultFS</name>\n"
                                                         "<value>hdfs://nn:8020</value>\n</property>\n</configuration>\n");
    std::string dead = "openai/gone@http://127.0.0.1:9/v1";
    auto r = run_ciri_binary("", {"validate", "--no-cache", "--timeout", "5", "-m", model_at(emu), "-m", dead,
                                  clean.string()},
                             dir.path);
    INFO(r.out << r.err);
    CHECK(r.code == 3);
    CHECK(r.out.find("inconclusive") != std::string::npos);
    CHECK(r.out.find("openai/gone") != std::string::npos);  // the summary names the backend down
    // With a quorum the remaining LLM reaches, its word stands.
    auto q = run_ciri_binary("", {"validate", "--no-cache", "--quorum", "1", "-m", model_at(emu), "-m", dead,
                                  clean.string()},
                             dir.path);
    CHECK(q.code == 0);
}

TEST_CASE("validate -f json on the examples holds to docs/report.schema.json", "[cli][validate][schema]") {
    TempDir dir("validate-schema");
    auto r = run_ciri_binary("", {"validate", "--no-config", "-q", "-f", "json", (source_dir() / "examples").string()},
                             dir.path);
    CHECK(r.code == 1);
    auto doc = json::parse(r.out);
    auto schema = json::parse(read_file(source_dir() / "docs" / "report.schema.json"));
    auto errors = schema_errors(doc, schema);
    for (const auto& e : errors) UNSCOPED_INFO(e);
    CHECK(errors.empty());
    CHECK(doc["summary"]["misconfigured"] >= 1);
}

TEST_CASE("validate: --stdin-filename names stdin for detection and reports", "[cli][validate]") {
    TempDir dir("stdin-name");
    auto input = write_file(dir.path / "in.txt", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    auto r = run_ciri_binary("", {"validate", "--no-config", "--stdin-filename", "db/postgresql.conf", "-"}, dir.path,
                             input.string());
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.out.find("db/postgresql.conf:2: min_wal_size") != std::string::npos);
    CHECK(r.out.find("<stdin>") == std::string::npos);
}

TEST_CASE("validate: --skip-unknown skips what ciri cannot classify, --rules-only drops the models",
          "[cli][validate]") {
    TempDir dir("skip-unknown");
    auto readme = write_file(dir.path / "README.md", "# a readme\n");
    auto pg = write_file(dir.path / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    auto strict = run_ciri_binary("", {"validate", "--no-config", readme.string(), pg.string()}, dir.path);
    CHECK(strict.out.find("README.md") != std::string::npos);  // a file named explicitly is always read
    auto skip = run_ciri_binary("", {"validate", "--no-config", "--skip-unknown", readme.string(), pg.string()}, dir.path);
    CHECK(skip.code == 1);
    CHECK(skip.err.find("1 file(s) ciri cannot classify were skipped") != std::string::npos);
    auto only = run_ciri_binary("", {"validate", "--no-config", "--skip-unknown", readme.string()}, dir.path);
    CHECK(only.code == 0);
    // A model that is unreachable is never asked with --rules-only.
    auto rules = run_ciri_binary("", {"validate", "--no-config", "--rules-only", "-m", "openai/x@http://127.0.0.1:9/v1",
                                      pg.string()}, dir.path);
    CHECK(rules.code == 1);
    CHECK(rules.out.find("0 requests") != std::string::npos);
    CHECK(rules.err.find("no LLM configured") == std::string::npos);
}

TEST_CASE("validate: --skip-unknown keeps a file .ciri.yaml maps to a system", "[cli][validate]") {
    TempDir dir("skip-unknown-mapped");
    write_file(dir.path / ".ciri.yaml", "systems:\n  - glob: db/*\n    system: postgresql\n");
    // A real server's file: its first 8 KiB are comments, so its content does not tell a format.
    std::string text(9000, '#');
    text += "\nmax_wal_size = 1GB\nmin_wal_size = 8GB\n";
    write_file(dir.path / "db" / "primary", text);
    write_file(dir.path / "other" / "primary", text);
    auto r = run_ciri_binary("", {"validate", "--config", (dir.path / ".ciri.yaml").string(), "--rules-only",
                                  "--skip-unknown", (dir.path / "db/primary").string(),
                                  (dir.path / "other/primary").string()}, dir.path);
    CHECK(r.code == 1);
    CHECK(r.out.find("db/primary:3: min_wal_size") != std::string::npos);
    CHECK(r.out.find("other/primary") == std::string::npos);
    CHECK(r.err.find("1 file(s) ciri cannot classify were skipped") != std::string::npos);
}

TEST_CASE("validate: --code-dir puts the code that reads a parameter in the request", "[cli][validate][emulator][code]") {
    TempDir dir("validate-code");
    auto log = dir.path / "requests.jsonl";
    // The emulator flags dfs.replication only when the prompt shows the check that refuses 0.
    json script = {{"rules", {rule("replication < 1 || replication > 512", {answer({"dfs.replication"}, "below 1")})}},
                   {"default", answer({})}};
    EmulatorProcess emu(script_args(dir, script.dump(), {"--log", log.string()}));
    auto file = write_file(dir.path / "hdfs.properties", "dfs.replication=0\ndfs.namenode.name.dir=/data\n");
    fs::path tree = fs::path(CIRI_SOURCE_DIR) / "tests/fixtures/code";
    std::vector<std::string> base = {"validate", "--no-cache", "--no-rules", "--samples", "1", "-m", model_at(emu)};

    auto plain_args = base;
    plain_args.push_back(file.string());
    auto plain = run_ciri_binary("", plain_args, dir.path);
    INFO(plain.err);
    CHECK(plain.code == 0);
    CHECK(read_file(log).find("Excerpts of the source code") == std::string::npos);

    auto code_args = base;
    for (auto a : {"--code-dir", tree.c_str(), file.c_str()}) code_args.push_back(a);
    auto r = run_ciri_binary("", code_args, dir.path);
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.out.find("dfs.replication") != std::string::npos);
    std::string sent = read_file(log);
    CHECK(sent.find("Excerpts of the source code that reads these parameters") != std::string::npos);
    CHECK(sent.find("`dfs.replication`, read at java/NameNode.java:9 through DFS_REPLICATION_KEY by conf.getInt, as int")
          != std::string::npos);
    CHECK(r.err.find("code: indexed " + tree.string()) != std::string::npos);  // no cache: indexed for the run
}

namespace {

// `n` valid core-site.xml files, one per folder, each with its own value (so its own prompt).
std::vector<std::string> core_sites(const TempDir& dir, int n) {
    std::vector<std::string> paths;
    for (int i = 0; i < n; ++i)
        paths.push_back(write_file(dir.path / ("d" + std::to_string(i)) / "core-site.xml",
                                   "<configuration>\n<property>\n<name>fs.defaultFS</name>\n<value>hdfs://nn" +
                                       std::to_string(i) + ":8020</value>\n</property>\n</configuration>\n")
                            .string());
    return paths;
}

}  // namespace

TEST_CASE("validate: --timeout counts from sending, so a long queue does not time out; a slow answer does",
          "[cli][validate][emulator][timeout]") {
    TempDir dir("validate-timeout");
    json script = {{"rules", {{{"match", "slow-host"}, {"responses", {{{"fault", "slow"}, {"delay_ms", 2500}}}}}}},
                   {"default", answer({})}};
    EmulatorProcess emu(script_args(dir, script.dump(), {"--latency-ms", "150"}));
    auto files = core_sites(dir, 8);
    std::vector<std::string> args = {"validate", "--no-config", "--no-rules", "--no-cache", "--samples", "1",
                                     "--max-in-flight", "1", "--timeout", "0.5", "-m", model_at(emu)};
    auto queued = args;
    queued.insert(queued.end(), files.begin(), files.end());
    auto r = run_ciri_binary("", queued, dir.path);
    INFO(r.err);
    CHECK(r.code == 0);  // 8 answers one at a time: 1.2 s in the queue, 0.15 s each on the wire
    CHECK(r.out.find("8 files: 0 misconfigured, 8 valid, 0 inconclusive") != std::string::npos);

    auto slow = write_file(dir.path / "slow" / "core-site.xml",
                           "<configuration>\n<property>\n<name>fs.defaultFS</name>\n<value>hdfs://slow-host:8020</value>"
                           "\n</property>\n</configuration>\n");
    args.insert(args.end(), {"-f", "json", slow.string()});
    auto t = run_ciri_binary("", args, dir.path);
    CHECK(t.code == 3);
    auto j = json::parse(t.out);
    CHECK(j["files"][0]["verdict"] == "inconclusive");
    CHECK(j["files"][0]["notes"].dump().find("timeout: no answer within 0.5 s of sending") != std::string::npos);
}

TEST_CASE("validate: --deadline ends the run; unfinished files are inconclusive, never valid, and it says so",
          "[cli][validate][emulator][deadline]") {
    TempDir dir("validate-deadline");
    EmulatorProcess emu(port_script(dir, {"--latency-ms", "200"}));
    auto files = core_sites(dir, 12);
    std::vector<std::string> args = {"validate", "--no-config", "--no-cache", "--samples", "1", "--max-in-flight", "1",
                                     "--deadline", "1", "-m", model_at(emu)};
    args.insert(args.end(), files.begin(), files.end());
    auto human = run_ciri_binary("", args, dir.path);
    CHECK(human.code == 3);
    CHECK(human.out.find("warning: the run's deadline (--deadline) passed: ") != std::string::npos);

    args.insert(args.end(), {"-f", "json"});
    auto r = run_ciri_binary("", args, dir.path);
    CHECK(r.code == 3);
    auto j = json::parse(r.out);
    int unfinished = j["summary"]["unfinished"];
    CHECK(unfinished >= 4);  // at most 5 answers fit in 1 s at 0.2 s each
    CHECK(unfinished < 12);
    int noted = 0;
    for (const auto& f : j["files"]) {
        bool cut = f["notes"].dump().find("not finished before the run's deadline") != std::string::npos;
        noted += cut;
        if (cut) CHECK(f["verdict"] == "inconclusive");
        else CHECK(f["verdict"] == "valid");
    }
    CHECK(noted == unfinished);
    CHECK(j["summary"]["valid"].get<int>() + unfinished == 12);
    CHECK(j["summary"]["backends_down"].empty());
}

TEST_CASE("validate -f jsonl: a line per file, then the summary line", "[cli][validate][jsonl]") {
    TempDir dir("validate-jsonl");
    auto files = core_sites(dir, 3);
    auto pg = write_file(dir.path / "pg" / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    std::vector<std::string> args = {"validate", "--no-config", "-q", "-f", "jsonl"};
    args.insert(args.end(), files.begin(), files.end());
    args.push_back(pg.string());
    auto r = run_ciri_binary("", args, dir.path);
    CHECK(r.code == 1);
    std::vector<json> lines;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 5);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(lines[i]["path"] == files[i]);
        CHECK(lines[i]["verdict"] == "valid");
    }
    CHECK(lines[3]["verdict"] == "misconfigured");
    CHECK(lines[3]["findings"].dump().find("min_wal_size") != std::string::npos);
    CHECK(lines[4]["summary"]["files"] == 4);
    CHECK(lines[4]["summary"]["misconfigured"] == 1);
    CHECK(lines[4].contains("usage"));
}
