#include "ciri/rules/spec.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;

TEST_CASE("spec tables round-trip through TSV", "[rules][spec]") {
    auto s = parse_spec_tsv(
        "# comment\nname\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "*\tbool\t\t\t\ton,off\t\t\n"
        "a.dirs\tpath[]\t/x\t\t\t\t\t\n"
        "a.wait\tduration\t10\t1\t60\t-1,auto\ts\ta.wait <= b.wait; removed_in 3.0\n",
        "t.tsv");
    REQUIRE(s.has_value());
    CHECK(s->bool_spellings == std::vector<std::string>{"on", "off"});
    REQUIRE(s->find("A.WAIT"));
    const auto& w = *s->find("a.wait");
    CHECK(w.rule.kind == ValueKind::duration);
    CHECK(w.rule.special == std::vector<double>{-1});
    CHECK(w.rule.enum_values == std::vector<std::string>{"auto"});
    CHECK(s->find("a.dirs")->rule.list);
    REQUIRE(s->constraints.size() == 2);
    CHECK(s->constraints[0].params() == std::vector<std::string>{"a.wait", "b.wait"});
    CHECK(s->constraints[1].kind == Constraint::Kind::removed_in);
    auto again = parse_spec_tsv(write_spec_tsv(*s), "again");
    REQUIRE(again.has_value());
    CHECK(write_spec_tsv(*again) == write_spec_tsv(*s));
}

TEST_CASE("malformed spec rows are errors with their line", "[rules][spec]") {
    auto bad_type = parse_spec_tsv("a\tcolour\n", "t.tsv");
    REQUIRE(!bad_type);
    CHECK(bad_type.error().line == 1);
    CHECK(bad_type.error().message == "unknown type 'colour'");
    CHECK(!parse_spec_tsv("a\tenum\n", "t.tsv"));
    CHECK(!parse_spec_tsv("a\tint\t\tx\n", "t.tsv"));
    CHECK(!parse_spec_tsv("a\tint\t\t\t\t\t\ta ~ b\n", "t.tsv"));
    CHECK(!parse_spec_tsv("a\tint\na\tint\n", "t.tsv"));
}

// The parameters `spec`'s rules flag in `text`, read as the file `name` of `system`.
static std::vector<std::string> flagged_params(const SpecSet& spec, const std::string& system, const std::string& name,
                                               const std::string& text, const std::string& format = "",
                                               const std::string& version = "") {
    LoadOptions o;
    o.system = system;
    o.format = format;
    o.version = version;
    auto f = load_config_bytes(name, text, o);
    REQUIRE(f.has_value());
    std::vector<std::string> out;
    for (const auto& x : check_file(*f, spec).findings) out.push_back(x.param);
    return out;
}

TEST_CASE("the shipped etcd table holds what etcd 3.4 refuses after decoding its YAML", "[rules][spec][etcd]") {
    auto spec = load_spec_set("etcd");
    REQUIRE(spec.has_value());
    auto flagged = [&](const std::string& yaml) { return flagged_params(*spec, "etcd", "etcd.conf.yml", yaml, "yaml"); };
    // A string where a number is decoded, the election timeout's limits, its hand-checked words.
    CHECK(flagged("snapshot-count: '100'\n") == std::vector<std::string>{"snapshot-count"});
    CHECK(flagged("snapshot-count: 100\n").empty());
    CHECK(flagged("heartbeat-interval: 300\nelection-timeout: 1000\n") ==
          std::vector<std::string>{"heartbeat-interval", "election-timeout"});
    CHECK(flagged("election-timeout: 400\n") == std::vector<std::string>{"election-timeout"});  // 5 x 100 by default
    CHECK(flagged("election-timeout: 60000\nheartbeat-interval: 1000\n") == std::vector<std::string>{"election-timeout"});
    CHECK(flagged("log-level: infox\n") == std::vector<std::string>{"log-level"});
    CHECK(flagged("logger: ''\n") == std::vector<std::string>{"logger"});
    CHECK(flagged("logger: Zap\n") == std::vector<std::string>{"logger"});  // compared exactly
    CHECK(flagged("heartbeat-interval: 200\nelection-timeout: 1000\nlog-level: dpanic\nlogger: zap\n"
                  "initial-cluster-state: ''\nauto-compaction-mode: ''\nlogger:\nname: 'n1'\n")
              .empty());
}

TEST_CASE("the shipped redis table refuses what redis-server does not know", "[rules][spec][redis]") {
    auto spec = load_spec_set("redis");
    REQUIRE(spec.has_value());
    auto flagged = [&](const std::string& text, const std::string& version = "") {
        return flagged_params(*spec, "redis", "redis.conf", text, "", version);
    };
    // redis-server 7.0.15 stops on each ("Bad directive or wrong number of arguments"): a
    // directive of an older Redis, a short slip the typo check passes over, one of Redis 7.2.
    CHECK(flagged("port 6379\nvm-enabled no\n") == std::vector<std::string>{"vm-enabled"});
    CHECK(flagged("port 6379\nbnid 127.0.0.1\n") == std::vector<std::string>{"bnid"});
    CHECK(flagged("locale-collate C\n") == std::vector<std::string>{"locale-collate"});
    // A file of a later version may hold keys the 7.0 table has not seen; a longer slip is the
    // typo check's (named once, with the setting meant).
    CHECK(flagged("locale-collate C\n", "7.2.4").empty());
    CHECK(flagged("maxmemry 100mb\n") == std::vector<std::string>{"maxmemry"});
    // The constraint names the version whose keys the table lists.
    CHECK(parse_constraint("unknown_refused 7.0", "*")->version == "7.0");
    CHECK_FALSE(parse_constraint("unknown_refused", "*"));
    // What it takes: any case, the directives it runs, hidden and deprecated settings, an alias,
    // a module's setting (a `.`), sentinel lines.
    CHECK(flagged("MaxMemory 100mb\ninclude /etc/redis/common.conf\nuser alice on nopass ~* +@all\n"
                  "rename-command FLUSHALL \"\"\nkey-load-delay 5\nwatchdog-period 0\nuse-exit-on-panic no\n"
                  "list-max-ziplist-entries 512\nlua-replicate-commands yes\nslaveof 10.0.0.1 6379\n"
                  "loadmodule /usr/lib/redis/modules/rejson.so\njson.memory-limit 5\n"
                  "sentinel monitor mymaster 127.0.0.1 6379 2\n")
              .empty());
}

TEST_CASE("the shipped zookeeper table types what QuorumPeerConfig parses and refuses", "[rules][spec][zookeeper]") {
    auto spec = load_spec_set("zookeeper");
    REQUIRE(spec.has_value());
    // Integer.parseInt, Long.parseLong, its own true/false, an enumeration, a port.
    for (const char* name : {"tickTime", "initLimit", "syncLimit", "maxClientCnxns", "minSessionTimeout",
                             "maxSessionTimeout", "autopurge.snapRetainCount", "autopurge.purgeInterval"}) {
        INFO(name);
        REQUIRE(spec->find(name));
        CHECK(spec->find(name)->rule.kind == ValueKind::integer);
        CHECK(spec->find(name)->rule.max == 2147483647.0);
    }
    CHECK(spec->find("jvm.pause.warn-threshold.ms")->rule.kind == ValueKind::integer);
    CHECK(spec->find("syncEnabled")->rule.kind == ValueKind::boolean);
    CHECK(spec->find("clientPort")->rule.kind == ValueKind::port);
    CHECK(spec->find("peerType")->rule.kind == ValueKind::enumeration);
    CHECK(spec->find("dataDir")->rule.kind == ValueKind::path);
    auto flagged = [&](const std::string& text) { return flagged_params(*spec, "zookeeper", "zoo.cfg", text); };
    const std::string base = "tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2181\n";
    CHECK(flagged(base + "initLimit=1.5\n") == std::vector<std::string>{"initLimit"});
    CHECK(flagged(base + "syncLimit=3000000000\n") == std::vector<std::string>{"syncLimit"});  // beyond an int
    // Tick counts a distributed server refuses at 0 and turns into socket timeouts (never negative).
    CHECK(flagged(base + "initLimit=0\n") == std::vector<std::string>{"initLimit"});
    CHECK(flagged(base + "syncLimit=-5\n") == std::vector<std::string>{"syncLimit"});
    CHECK(flagged("tickTime=2s\nclientPort=2181\n") == std::vector<std::string>{"tickTime"});
    CHECK(flagged("tickTime=0\nclientPort=2181\n") == std::vector<std::string>{"tickTime"});
    // A negative tick makes the default session timeouts cross; both given, they do not.
    CHECK(flagged("tickTime=-2000\nclientPort=2181\n") == std::vector<std::string>{"tickTime"});
    CHECK(flagged("tickTime=-2000\nminSessionTimeout=4000\nmaxSessionTimeout=40000\n").empty());
    auto names = [&](const std::string& text, const std::string& param) {
        auto all = flagged(text);
        return std::find(all.begin(), all.end(), param) != all.end();
    };
    CHECK(names("tickTime=2000\nminSessionTimeout=40001\n", "minSessionTimeout"));  // above 20 ticks
    CHECK(names("tickTime=2000\nmaxSessionTimeout=3999\n", "maxSessionTimeout"));   // below 2 ticks
    CHECK(flagged(base + "initLimit=\n") == std::vector<std::string>{"initLimit"});  // Integer.parseInt("")
    CHECK(flagged("tickTime=2000\nclientPort=70000\n") == std::vector<std::string>{"clientPort"});
    CHECK(flagged(base + "syncEnabled=maybe\n") == std::vector<std::string>{"syncEnabled"});
    // Its own parseBoolean: true or false in any case, nothing else (bools_exact).
    for (const char* word : {"yes", "on", "1"})
        CHECK(flagged(base + "syncEnabled=" + word + "\n") == std::vector<std::string>{"syncEnabled"});
    CHECK(flagged(base + "peerType=witness\n") == std::vector<std::string>{"peerType"});
    CHECK(flagged(base + "electionAlg=1\n") == std::vector<std::string>{"electionAlg"});
    // Started with, but logged as invalid and replaced by 3.
    CHECK(flagged(base + "autopurge.snapRetainCount=2\n") == std::vector<std::string>{"autopurge.snapRetainCount"});
    CHECK(names(base + "minSessionTimeout=50000\nmaxSessionTimeout=40000\n", "minSessionTimeout"));
    CHECK(!flagged(base + "quorum.auth.serverRequireSasl=true\nquorum.auth.learnerRequireSasl=true\n").empty());
    CHECK(!flagged("tickTime=2000\nclientPortAddress=127.0.0.1\n").empty());
    // No false alarm: the Debian package's zoo.cfg settings, a session range, an unknown key (a
    // system property), SASL switched on whole, and the shipped example ensemble.
    CHECK(flagged("tickTime=2000\nminSessionTimeout=40000\n").empty());
    CHECK(flagged("tickTime=2000\nmaxSessionTimeout=4000\n").empty());
    CHECK(flagged(base + "initLimit=10\nsyncLimit=5\nmaxClientCnxns=60\nautopurge.snapRetainCount=3\n"
                         "autopurge.purgeInterval=1\npeerType=OBSERVER\nsyncEnabled=TRUE\n"
                         "minSessionTimeout=4000\nmaxSessionTimeout=-1\n4lw.commands.whitelist=srvr,ruok\n"
                         "quorum.auth.enableSasl=true\nquorum.auth.serverRequireSasl=true\n"
                         "quorum.auth.learnerRequireSasl=true\nclientPortAddress=127.0.0.1\n")
              .empty());
    std::ifstream in(ciri::test::source_dir() / "examples" / "zoo.cfg");
    std::string example((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!example.empty());
    CHECK(flagged(example).empty());
}

TEST_CASE("bools_exact: a boolean row takes only the * row's spellings", "[rules][spec]") {
    const std::string head = "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n";
    auto exact = parse_spec_tsv(head + "*\tbool\t\t\t\ttrue,false\t\tbools_exact\nsync\tbool\t\t\t\t\t\t\n", "t.tsv");
    auto usual = parse_spec_tsv(head + "*\tbool\t\t\t\ttrue,false\t\t\nsync\tbool\t\t\t\t\t\t\n", "t.tsv");
    REQUIRE(exact);
    REQUIRE(usual);
    CHECK(exact->has(Constraint::Kind::bools_exact));
    CHECK_FALSE(usual->has(Constraint::Kind::bools_exact));
    auto again = parse_spec_tsv(write_spec_tsv(*exact), "again");  // kept when written
    REQUIRE(again);
    CHECK(again->has(Constraint::Kind::bools_exact));
    auto findings = [](const SpecSet& spec, const std::string& value) {
        LoadOptions o;
        o.format = "properties";
        auto f = load_config_bytes("x.properties", "sync=" + value + "\n", o);
        REQUIRE(f.has_value());
        return check_file(*f, spec).findings.size();
    };
    CHECK(findings(*exact, "yes") == 1);
    CHECK(findings(*exact, "0") == 1);
    CHECK(findings(*exact, "FALSE") == 0);
    CHECK(findings(*usual, "yes") == 0);
    CHECK(findings(*usual, "maybe") == 1);
}

TEST_CASE("user tables come before shipped ones", "[rules][spec]") {
    auto shipped = load_spec_set("megatron");
    REQUIRE(shipped.has_value());
    REQUIRE(shipped->find("num-attention-heads"));
    CHECK(shipped->find("num-attention-heads")->rule.kind == ValueKind::integer);
    CHECK(!load_spec_set("megatron", {"/nonexistent/x.tsv"}));
}

TEST_CASE("every shipped table parses, and the megatron one catches indivisible heads", "[rules][spec]") {
    for (const char* system : {"deepspeed", "megatron", "vllm", "slurm"}) {
        INFO(system);
        auto s = load_spec_set(system);
        REQUIRE(s.has_value());
        CHECK(s->params.size() >= 10);
    }
    LoadOptions o;
    o.format = "args";
    o.system = "megatron";
    auto f = load_config_bytes("m.args", "--tensor-model-parallel-size 8\n--num-attention-heads 12\n", o);
    REQUIRE(f.has_value());
    auto v = check_file(*f, *load_spec_set("megatron"));
    REQUIRE(v.findings.size() == 2);
    CHECK(v.findings[0].subcategory == "Value Relationship");
    CHECK(v.findings[0].confidence == 1.0);
}

TEST_CASE("constraints take conditions, conflicts, quoted names and typos", "[rules][spec]") {
    auto c = parse_constraint("a.stage <= 1 if pipeline.*", "a.stage");
    REQUIRE(c);
    CHECK(c->kind == Constraint::Kind::compare);
    REQUIRE(c->when.size() == 1);
    CHECK(c->when[0].param == "pipeline.*");
    CHECK(!c->when[0].negated);
    CHECK(c->rhs == std::vector<std::string>{"1"});
    auto u = parse_constraint("n % p == 0 unless first,last", "n");
    REQUIRE(u);
    REQUIRE(u->when.size() == 1);
    CHECK(u->when[0].negated);
    CHECK(u->when[0].param == "first,last");
    auto uv = parse_constraint("dev=cpu requires opt unless force=false", "dev");
    REQUIRE(uv);
    CHECK(uv->kind == Constraint::Kind::requirement);
    CHECK(uv->need_param == "opt");
    CHECK(uv->when[0].op == "=");
    CHECK(uv->when[0].value == "false");
    // Several conditions, in the order written; comparisons with numbers and the version.
    auto many = parse_constraint("a >= b unless chunked if version < 0.8 unless b > 32768", "a");
    REQUIRE(many);
    REQUIRE(many->when.size() == 3);
    CHECK(many->when[0].param == "chunked");
    CHECK(many->when[1].param == "version");
    CHECK(many->when[1].op == "<");
    CHECK(many->when[1].value == "0.8");
    CHECK(many->when[2].negated);
    CHECK(many->when[2].op == ">");
    CHECK(many->lhs == std::vector<std::string>{"a"});
    CHECK(!parse_constraint("a < b if c > x", "a"));
    CHECK(!parse_constraint("a < b if c,d", "a"));
    auto x = parse_constraint("mem conflicts mem-per-cpu", "mem");
    REQUIRE(x);
    CHECK(x->kind == Constraint::Kind::conflict);
    CHECK(x->params() == std::vector<std::string>{"mem", "mem-per-cpu"});
    auto q = parse_constraint("`*.requests.nvidia.com/gpu` == `*.limits.nvidia.com/gpu`", "x");
    REQUIRE(q);
    CHECK(q->params() == std::vector<std::string>{"*.requests.nvidia.com/gpu", "*.limits.nvidia.com/gpu"});
    CHECK(parse_constraint("typos", "*")->kind == Constraint::Kind::typos);
    CHECK(!parse_constraint("a < b if", "a"));
    CHECK(!parse_constraint("`unclosed < b", "a"));
    CHECK(!parse_constraint("a conflicts b=1", "a"));
}

TEST_CASE("version bounds of one value, and keys a value must name", "[rules][spec]") {
    auto v = parse_constraint("NVL added_in 2.6", "NCCL_P2P_LEVEL");
    REQUIRE(v);
    CHECK(v->kind == Constraint::Kind::added_in);
    CHECK(v->value == "NVL");
    CHECK(v->version == "2.6");
    CHECK(v->params() == std::vector<std::string>{"NCCL_P2P_LEVEL"});
    auto whole = parse_constraint("removed_in 23.11", "FastSchedule");
    REQUIRE(whole);
    CHECK(whole->value.empty());
    CHECK(!parse_constraint("two words removed_in 23.11", "x"));
    auto k = parse_constraint("head_node_type key_of available_node_types", "head_node_type");
    REQUIRE(k);
    CHECK(k->kind == Constraint::Kind::key_of);
    CHECK(k->cond_param == "head_node_type");
    CHECK(k->need_param == "available_node_types");
    CHECK(!parse_constraint("head_node_type key_of", "head_node_type"));
    CHECK(!parse_constraint("a=b key_of c", "a"));
}

TEST_CASE("rows match list items and `*.suffix` names at any depth", "[rules][spec]") {
    auto s = parse_spec_tsv(
        "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "spec.tasks[].replicas\tint\t\t0\t\t\t\t\n"
        "*.limits.nvidia.com/gpu\tint\t\t0\t\t\t\t\n"
        "*.gpu\tstring\t\t\t\t\t\t\n",
        "t.tsv");
    REQUIRE(s);
    CHECK(strip_indices("a[0].b[12].c[x]") == "a[].b[].c[x]");
    REQUIRE(s->find("spec.tasks[3].replicas"));
    CHECK(s->find("spec.tasks[3].replicas")->name == "spec.tasks[].replicas");
    // The longest suffix wins; a suffix must start at a dot.
    REQUIRE(s->find("spec.containers[1].resources.limits.nvidia.com/gpu"));
    CHECK(s->find("spec.containers[1].resources.limits.nvidia.com/gpu")->name == "*.limits.nvidia.com/gpu");
    CHECK(s->find("limits.nvidia.com/gpu")->name == "*.limits.nvidia.com/gpu");
    CHECK(s->find("x.gpu")->name == "*.gpu");
    CHECK(!s->find("xgpu"));
}

TEST_CASE("every shipped spec table parses and names its sources", "[rules][spec]") {
    int tables = 0;
    for (const auto& e : std::filesystem::directory_iterator(ciri::test::source_dir() / "datasets")) {
        auto path = e.path() / "params.tsv";
        if (!std::filesystem::is_regular_file(path)) continue;
        ++tables;
        INFO(path);
        auto s = read_spec_tsv(path);
        REQUIRE(s);
        CHECK(!s->params.empty());
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        // The header names the version it holds for and the documentation it comes from.
        std::string head = first;
        for (std::string l; std::getline(in, l) && l.starts_with("#");) head += l;
        CHECK(head.find("Source") != std::string::npos);
    }
    CHECK(tables >= 12);
}

TEST_CASE("a parameter called name is a row, not the header", "[rules][spec]") {
    auto spec = parse_spec_tsv(
        "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "name\tstring\tdefault\t\t\t\t\t\n"
        "pages\tsize\t1024\t16\t\t\t8kB\t\n",
        "t.tsv");
    REQUIRE(spec.has_value());
    CHECK(spec->params.count("name") == 1);
    CHECK(spec->params.count("type") == 0);
    // A unit may carry a whole multiplier: bounds and bare numbers count in pages of 8kB.
    CHECK(spec->params.at("pages").unit == "8kB");
    CHECK_FALSE(parse_spec_tsv("x\tsize\t\t\t\t\t8xB\t\n", "t.tsv").has_value());
}

TEST_CASE("spec: a table that is no regular file is an error, never read for ever", "[spec]") {
    auto zero = read_spec_tsv("/dev/zero");
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message.starts_with("cannot read spec table"));
}
