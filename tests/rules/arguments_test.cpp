#include "ciri/rules/arguments.hpp"

#include <catch2/catch.hpp>

#include "ciri/rules/spec.hpp"
#include "tests/rules/rules_test_util.hpp"

using namespace ciri;

namespace {

ArgGrammar grammar(std::string_view text) {
    auto g = parse_arg_grammar(text);
    REQUIRE(g.has_value());
    return *g;
}

bool fits(std::string_view value, std::string_view text, bool case_sensitive = false) {
    auto args = split_arguments(value);
    REQUIRE(args.has_value());
    return !arguments_problem(*args, grammar(text), case_sensitive).has_value();
}

// Rows as bench/facts/redis-source.tsv and etcd-source.tsv write them (redis 7.0.15 src/config.c,
// etcd 3.4.23 auth/store.go, embed/etcd.go, etcdserver/config.go).
SpecSet redis_spec() {
    auto spec = parse_spec_tsv(
        "save\tstring\t\t\t\t\t\targs ''; args (int:1.. int:0..)*\n"
        "client-output-buffer-limit\tstring\t\t\t\t\t\targs (normal|replica|slave|pubsub size size int:0..)*\n"
        "oom-score-adj-values\tstring\t\t\t\t\t\targs int:-2000..2000 int:-2000..2000 int:-2000..2000\n"
        "appendfilename\tstring\t\t\t\t\t\targs basename\n"
        "dbfilename\tstring\t\t\t\t\t\targs ''; args basename\n"
        "replicaof\tstring\t\t\t\t\t\targs 'no' 'one'; args word int:0..65535\n"
        "zset-max-listpack-value\tsize\t64\t0\t\t''\tb\targs size\n",
        "redis facts");
    REQUIRE(spec.has_value());
    return *spec;
}

SpecSet etcd_spec() {
    auto spec = parse_spec_tsv(
        "*\tbool\t\t\t\t\t\tcase_sensitive; quoted_is_string\n"
        "auth-token\tstring\tsimple\t\t\t\t\tfields simple|jwt|'' pair*\n"
        "auto-compaction-retention\tstring\t0\t\t\t\t\tfields ''; fields int:0..; fields go-duration\n"
        "name\tstring\tdefault\t\t\t\t\tname named_in initial-cluster unless discovery,discovery-srv\n"
        "initial-cluster\tstring\n"
        "listen-client-urls\tstring\t\t\t\t\t\tfields ''; fields bind-url:http|https|unix|unixs+\n"
        "advertise-client-urls\tstring\t\t\t\t\t\tfields ''; fields url:http|https|unix|unixs+\n",
        "etcd facts");
    REQUIRE(spec.has_value());
    return *spec;
}

std::vector<std::string> redis(const std::string& conf) { return test::flagged_in(conf, "redis", "directives", redis_spec()); }
std::vector<std::string> etcd(const std::string& conf) { return test::flagged_in(conf, "etcd", "yaml", etcd_spec()); }

}  // namespace

TEST_CASE("arguments are split as redis-server splits a directive's line", "[rules][arguments]") {
    CHECK(split_arguments("3600 1  300 100") == std::vector<std::string>{"3600", "1", "300", "100"});
    CHECK(split_arguments("\"\"") == std::vector<std::string>{""});
    CHECK(split_arguments("\"{title} {listen-addr}\"") == std::vector<std::string>{"{title} {listen-addr}"});
    CHECK(split_arguments("'it\\'s' \"a\\x41\\n\"") == std::vector<std::string>{"it's", "aA\n"});
    CHECK(split_arguments("").value().empty());
    CHECK_FALSE(split_arguments("\"open").has_value());
    CHECK_FALSE(split_arguments("\"a\"b").has_value());  // a closing quote glued to more text
    CHECK(split_fields("jwt,sign-method=RS256") == std::vector<std::string>{"jwt", "sign-method=RS256"});
    CHECK(split_fields("") == std::vector<std::string>{""});
}

TEST_CASE("an argument grammar takes what the program takes", "[rules][arguments]") {
    CHECK(fits("3600 1 300 100", "(int:1.. int:0..)*"));
    CHECK(fits("", "(int:1.. int:0..)*"));
    CHECK_FALSE(fits("900", "(int:1.. int:0..)*"));
    CHECK_FALSE(fits("0 1", "(int:1.. int:0..)*"));
    CHECK(fits("Normal 0 0 0 replica 256mb 64MB 60", "(normal|replica|slave|pubsub size size int:0..)*"));
    CHECK_FALSE(fits("master 0 0 0", "(normal|replica|slave|pubsub size size int:0..)*"));
    CHECK_FALSE(fits("normal 1.5gb 0 0", "(normal|replica|slave|pubsub size size int:0..)*"));
    CHECK_FALSE(fits("normal 0 0 -1", "(normal|replica|slave|pubsub size size int:0..)*"));
    CHECK(fits("mb", "size"));  // memtoull reads no digits as 0
    CHECK(fits("50 99 99.9", "float:0..100*"));
    CHECK_FALSE(fits("50 101", "float:0..100*"));
    CHECK(fits("NO one", "'no' 'one'"));
    CHECK(fits("dump.rdb", "basename"));
    CHECK_FALSE(fits("dir/dump.rdb", "basename"));
    CHECK_FALSE(fits("\"\"", "basename"));
    CHECK(fits("1h30m", "go-duration"));
    CHECK(fits("-1.5h", "go-duration"));
    CHECK(fits("0", "go-duration"));
    CHECK(fits("http://10.0.0.1:2379", "url:http|https"));
    CHECK(fits("HTTPS://user@[::1]:2379", "url:http|https"));
    CHECK(fits("http://etcd-0.example.com:2379", "url:http|https"));
    CHECK_FALSE(fits("http://etcd-0.example.com:2379", "bind-url:http|https|unix"));
    CHECK(fits("http://localhost:2379", "bind-url:http|https|unix"));
    CHECK(fits("unix://etcd.sock:0", "bind-url:http|https|unix"));
    CHECK_FALSE(fits("http://10.0.0.1:2379/", "url:http|https"));  // a path
    CHECK_FALSE(fits("http://10.0.0.1", "url:http|https"));        // no port
    CHECK_FALSE(fits("10.0.0.1:2379", "url:http|https"));          // no scheme
    CHECK_FALSE(fits("ftp://10.0.0.1:2379", "url:http|https"));
    CHECK_FALSE(fits("http://:2379", "url:http|https"));           // no host
    CHECK_FALSE(fits("0.5", "go-duration"));  // a number without its unit
    CHECK_FALSE(fits("5 days", "go-duration"));
    // Go compares its enumerations exactly.
    CHECK_FALSE(fits("Simple", "simple|jwt", true));
    CHECK(fits("Simple", "simple|jwt", false));
    CHECK(grammar("(int int)*").several());
    CHECK(grammar("int int int").several());
    CHECK_FALSE(grammar("basename").several());
    for (const char* bad : {"", "(int", "int)", "()", "integer", "int:..", "word:1..2", "a||b"})
        CHECK_FALSE(parse_arg_grammar(bad).has_value());
    // As spec-table constraints.
    auto c = parse_constraint("args ''; args (int int)*", "save");
    CHECK_FALSE(c.has_value());  // one constraint per `;`: the table splits them, a grammar has none
    c = parse_constraint("fields simple|jwt pair*", "auth-token");
    REQUIRE(c.has_value());
    CHECK(c->kind == Constraint::Kind::arguments);
    CHECK(c->fields);
    CHECK(c->params() == std::vector<std::string>{"auth-token"});
    CHECK_FALSE(parse_constraint("args (int", "save").has_value());
    c = parse_constraint("name named_in initial-cluster unless discovery", "name");
    REQUIRE(c.has_value());
    CHECK(c->kind == Constraint::Kind::named_in);
    CHECK(c->params() == std::vector<std::string>{"name", "initial-cluster"});
    CHECK_FALSE(parse_constraint("name named_in", "name").has_value());
}

TEST_CASE("a grammar's reason names the argument at fault or the count", "[rules][arguments]") {
    auto args = split_arguments("master 0 0 0").value();
    auto why = arguments_problem(args, grammar("(normal|replica|slave|pubsub size size int:0..)*"));
    REQUIRE(why.has_value());
    CHECK(why->find("argument 1 ('master') is not one of normal, replica, slave, pubsub") != std::string::npos);
    why = arguments_problem(split_arguments("0 200").value(), grammar("int int int"));
    REQUIRE(why.has_value());
    CHECK(why->find("too few") != std::string::npos);
    why = arguments_problem(split_arguments("a b").value(), grammar("word"));
    REQUIRE(why.has_value());
    CHECK(why->find("too many") != std::string::npos);
}

TEST_CASE("redis directives whose arguments redis-server refuses are flagged, their fixes are not", "[rules][arguments]") {
    // Each refused line is one redis-server 7.0.15 refuses ("Invalid save parameters", "Invalid
    // client class specified in buffer limit configuration.", "wrong number of arguments",
    // "appendfilename can't be empty", "dbfilename can't be a path, just a filename", "argument
    // must be a memory value"); each fix is one it takes.
    CHECK(redis("save 900\n") == std::vector<std::string>{"save"});
    CHECK(redis("save 900 1 300\n") == std::vector<std::string>{"save"});
    CHECK(redis("save \"60 x\"\n") == std::vector<std::string>{"save"});
    CHECK(redis("save 900 1\nsave 300 10\nsave \"\"\nsave \"60 10000\"\n").empty());
    CHECK(redis("client-output-buffer-limit normal 0 0 0\nclient-output-buffer-limit master 0 0 0\n") ==
          std::vector<std::string>{"client-output-buffer-limit"});
    CHECK(redis("client-output-buffer-limit \"\"\n") == std::vector<std::string>{"client-output-buffer-limit"});
    CHECK(redis("client-output-buffer-limit replica 256mb 64mb 60\n").empty());
    CHECK(redis("oom-score-adj-values \"\"\n") == std::vector<std::string>{"oom-score-adj-values"});
    CHECK(redis("oom-score-adj-values 0 200 3000\n") == std::vector<std::string>{"oom-score-adj-values"});
    CHECK(redis("oom-score-adj-values 0 200 800\n").empty());
    CHECK(redis("appendfilename \"\"\n") == std::vector<std::string>{"appendfilename"});
    CHECK(redis("appendfilename \"appendonly.aof\"\n").empty());
    CHECK(redis("dbfilename /var/lib/redis/dump.rdb\n") == std::vector<std::string>{"dbfilename"});
    CHECK(redis("dbfilename \"\"\ndbfilename dump.rdb\n").empty());
    CHECK(redis("replicaof 10.0.0.1 6379x\n") == std::vector<std::string>{"replicaof"});
    CHECK(redis("replicaof no one\n").empty());
    CHECK(redis("replicaof 10.0.0.1 6379\n").empty());
    CHECK(redis("zset-max-listpack-value 64.5\n") == std::vector<std::string>{"zset-max-listpack-value"});
    CHECK(redis("zset-max-listpack-value 64\nzset-max-listpack-value \"\"\n").empty());
}

TEST_CASE("etcd values its source refuses by hand are flagged, their fixes are not", "[rules][arguments]") {
    // etcd 3.4.23: an unknown token type (ErrInvalidAuthOpts), a retention neither a whole
    // number nor a duration ("error parsing CompactionRetention"), a name initial-cluster lacks
    // ("couldn't find local name").
    CHECK(etcd("auth-token: simplex\n") == std::vector<std::string>{"auth-token"});
    CHECK(etcd("auth-token: jwt,sign-method\n") == std::vector<std::string>{"auth-token"});
    CHECK(etcd("auth-token: Simple\n") == std::vector<std::string>{"auth-token"});
    CHECK(etcd("auth-token: simple\n").empty());
    CHECK(etcd("auth-token: jwt,sign-method=RS256,ttl=5m\n").empty());
    CHECK(etcd("auto-compaction-retention: '0.5'\n") == std::vector<std::string>{"auto-compaction-retention"});
    CHECK(etcd("auto-compaction-retention: '-7'\n") == std::vector<std::string>{"auto-compaction-retention"});
    CHECK(etcd("auto-compaction-retention: '0x'\n") == std::vector<std::string>{"auto-compaction-retention"});
    for (const char* ok : {"'0'", "'5'", "'1h30m'", "'10m'", "''"})
        CHECK(etcd(std::string("auto-compaction-retention: ") + ok + "\n").empty());
    auto cluster = std::string("initial-cluster: default=http://localhost:2380,b=http://10.0.0.2:2380\n");
    CHECK(etcd(cluster + "name: 'defaultx'\n") == std::vector<std::string>{"initial-cluster", "name"});
    CHECK(etcd(cluster + "name: ''\n") == std::vector<std::string>{"initial-cluster", "name"});
    CHECK(etcd(cluster + "name: b\n").empty());
    CHECK(etcd(cluster + "name: 'default'\n").empty());
    CHECK(etcd(cluster + "name:\n").empty());  // a null: etcd keeps the default name, which is listed
    // Without name, etcd's default must be listed.
    CHECK(etcd("initial-cluster: a=http://10.0.0.1:2380\n") == std::vector<std::string>{"initial-cluster"});
    // etcd 3.4.23 refuses these URLs ("expected IP in URL for binding", "URL must not contain a
    // path", "unexpected empty host") and takes their fixes.
    CHECK(etcd("listen-client-urls: http://example.com:2379\n") == std::vector<std::string>{"listen-client-urls"});
    CHECK(etcd("listen-client-urls: http://127.0.0.1:2379/\n") == std::vector<std::string>{"listen-client-urls"});
    CHECK(etcd("listen-client-urls: http://127.0.0.1:2379,http://localhost:2380\n").empty());
    CHECK(etcd("advertise-client-urls: http://:2379\n") == std::vector<std::string>{"advertise-client-urls"});
    CHECK(etcd("advertise-client-urls: http://example.com:2379\n").empty());
    // Discovery bootstraps the cluster instead: not judged.
    CHECK(etcd(cluster + "name: x\ndiscovery: https://discovery.etcd.io/abc\n").empty());
}

TEST_CASE("etcd's shipped table: a retention needs a compaction mode, and its bad values are flagged", "[rules][arguments]") {
    // datasets/etcd/params.tsv, learned by bench/learn_from_programs.sh with bench/facts/etcd-source.tsv.
    auto spec = load_spec_set("etcd");
    REQUIRE(spec.has_value());
    auto flagged = [&](const std::string& yaml) { return test::flagged_in(yaml, "etcd", "yaml", *spec); };
    // etcd 3.4.23: "unsupported compaction mode" (a config file's mode is empty unless set).
    CHECK(flagged("auto-compaction-retention: '5'\nauto-compaction-mode: ''\n") ==
          std::vector<std::string>{"auto-compaction-retention", "auto-compaction-mode"});
    CHECK(flagged("auto-compaction-retention: '5'\nauto-compaction-mode: periodic\n").empty());
    CHECK(flagged("auto-compaction-retention: '0'\nauto-compaction-mode: ''\n").empty());
    CHECK(flagged("auto-compaction-retention: '0.5'\nauto-compaction-mode: periodic\n") ==
          std::vector<std::string>{"auto-compaction-retention"});
    CHECK(flagged("auth-token: simplex\n") == std::vector<std::string>{"auth-token"});
    CHECK(flagged("name: 'defaultx'\ninitial-cluster: default=http://localhost:2380\n") ==
          std::vector<std::string>{"name", "initial-cluster"});
}
