#include "ciri/rules/learn_refusals.hpp"

#include <catch2/catch.hpp>

#include "tests/rules/rules_test_util.hpp"

using namespace ciri;

namespace {

// Probes in the shape bench/learn_from_programs.sh records them (messages as redis-server
// words its refusals; written for the test).
const char* kProbes =
    "hz\tciri-probe\targument couldn't be parsed into an integer\n"
    "hz\t\"\"\targument couldn't be parsed into an integer\n"
    "hz\t-9223372036854775808\targument must be between 1 and 500 inclusive\n"
    "hz\t9223372036854775807\targument must be between 1 and 500 inclusive\n"
    "slowlog-max-len\tciri-probe\targument couldn't be parsed into an integer\n"
    "slowlog-max-len\t-9223372036854775808\targument must be between 0 and 9223372036854775807 inclusive\n"
    "appendonly\tciri-probe\targument must be 'yes' or 'no'\n"
    "appendonly\t\"\"\targument must be 'yes' or 'no'\n"
    "maxmemory\tciri-probe\targument must be a memory value\n"
    "maxmemory\t\"\"\t\n"
    "maxmemory\t-9223372036854775808\targument must be a memory value\n"
    "maxmemory\t1.5\targument must be a memory value\n"
    "loglevel\tciri-probe\targument(s) must be one of the following: debug, notice, warning\n"
    "loglevel\tdebug notice\twrong number of arguments\n"
    "on-signal\tciri-probe\targument(s) must be one of the following: save, now, force\n"
    "on-signal\tsave now\t\n"
    "dir\tciri-probe\tNo such file or directory\n"
    "pidfile\tciri-probe\t\n";

DefaultsSource source(bool complete = false) { return {"redis", "7.0", "probes", "", complete}; }

SpecSet learned(std::string_view probes = kProbes) {
    auto spec = learn_from_refusals(probes, source());
    REQUIRE(spec.has_value());
    auto back = parse_spec_tsv(write_spec_tsv(*spec), "round trip");
    REQUIRE(back.has_value());
    return *back;
}

std::vector<std::string> flagged(const std::string& conf, const SpecSet& spec) {
    return test::flagged_in(conf, "redis", "directives", spec);
}

}  // namespace

TEST_CASE("the program's refusals give each setting's kind, range and enumeration", "[rules][learn_refusals]") {
    SpecSet spec = learned();
    const auto& hz = spec.params.at("hz").rule;
    CHECK(hz.kind == ValueKind::integer);
    CHECK(hz.min == 1);
    CHECK(hz.max == 500);
    CHECK(spec.params.at("hz").documented);
    // LLONG_MAX is no bound a double holds exactly: left out, never rounded.
    CHECK(spec.params.at("slowlog-max-len").rule.min == 0);
    CHECK_FALSE(spec.params.at("slowlog-max-len").rule.max.has_value());
    CHECK(spec.params.at("appendonly").rule.kind == ValueKind::boolean);
    const auto& mem = spec.params.at("maxmemory");
    CHECK(mem.rule.kind == ValueKind::size);
    CHECK(mem.unit == "b");
    CHECK(mem.rule.min == 0);  // a negative is no memory value
    // A fraction is no memory value either: whole sizes only.
    CHECK(mem.constraints == std::vector<std::string>{"args size"});
    CHECK(spec.params.at("loglevel").rule.kind == ValueKind::enumeration);
    CHECK(spec.params.at("loglevel").rule.enum_values == std::vector<std::string>{"debug", "notice", "warning"});
    // Two of its words at once passed: a setting taking several is no single-value enumeration.
    CHECK(spec.params.at("on-signal").rule.kind == ValueKind::string);
    CHECK(spec.params.at("dir").rule.kind == ValueKind::string);
    CHECK(spec.params.at("pidfile").rule.kind == ValueKind::string);
}

TEST_CASE("values the program refuses are findings, and those it takes are not", "[rules][learn_refusals]") {
    SpecSet spec = learned();
    CHECK(flagged("hz 0\n", spec) == std::vector<std::string>{"hz"});
    CHECK(flagged("hz 10.5\n", spec) == std::vector<std::string>{"hz"});
    CHECK(flagged("loglevel noticex\n", spec) == std::vector<std::string>{"loglevel"});
    CHECK(flagged("maxmemory -64mb\n", spec) == std::vector<std::string>{"maxmemory"});
    CHECK(flagged("maxmemory 1.5gb\n", spec) == std::vector<std::string>{"maxmemory"});
    CHECK(flagged("maxmemory 2gb\n", spec).empty());
    // Empty: refused for an integer or a yes/no (the `*` row's empty_refused), taken for a
    // memory value (redis reads it as 0).
    CHECK(flagged("hz \"\"\n", spec) == std::vector<std::string>{"hz"});
    CHECK(flagged("appendonly \"\"\n", spec) == std::vector<std::string>{"appendonly"});
    CHECK(flagged("maxmemory \"\"\n", spec).empty());
    CHECK(flagged("hz 500\nloglevel NOTICE\nmaxmemory 2gb\nappendonly yes\non-signal save now\npidfile /run/r.pid\n",
                  spec)
              .empty());
}

TEST_CASE("without an empty value refused there is no empty_refused", "[rules][learn_refusals]") {
    SpecSet spec = learned("maxmemory\tciri-probe\targument must be a memory value\nmaxmemory\t\"\"\t\n");
    CHECK(flagged("maxmemory \"\"\n", spec).empty());
    bool refuses = false;
    for (const auto& c : spec.constraints) refuses = refuses || c.kind == Constraint::Kind::empty_refused;
    CHECK_FALSE(refuses);
}

TEST_CASE("the refusals lay their kinds over the documented rows", "[rules][learn_refusals]") {
    auto doc = parse_spec_tsv("*\tbool\t\t\t\tno,yes\t\ttypos\n"
                              "hz\tfloat\t10\t\t\t\t\t\t\t\tyes\tdoc\n"
                              "port\tport\t6379\t\t\t\t\t\t\t\t\tdoc\n"
                              "dir\tpath\t./\t\t\t\t\t\t\t\t\tdoc\n"
                              "timeout\tduration\t0\t\t\t\tms\t\t\t\t\tdoc\n",
                              "doc");
    REQUIRE(doc.has_value());
    auto refusals = learn_from_refusals(std::string(kProbes) +
                                            "port\tciri-probe\targument couldn't be parsed into an integer\n"
                                            "port\t1e30\targument must be between 0 and 65535 inclusive\n"
                                            "timeout\tciri-probe\targument couldn't be parsed into an integer\n",
                                        source(true));
    REQUIRE(refusals.has_value());
    SpecSet spec = overlay_refusals(*doc, *refusals);
    const ParamSpec& hz = spec.params.at("hz");
    CHECK(hz.rule.kind == ValueKind::integer);
    CHECK(hz.default_value == "10");
    CHECK(hz.restart);
    CHECK(spec.params.at("port").rule.kind == ValueKind::port);
    CHECK(spec.params.at("port").rule.max == 65535);
    CHECK(spec.params.at("dir").rule.kind == ValueKind::path);  // the refusal said no kind
    CHECK(spec.params.at("timeout").unit == "ms");
    CHECK(spec.params.count("loglevel") == 1);  // the document lacked it
    CHECK(spec.bool_spellings == std::vector<std::string>{"no", "yes"});
    int typos = 0, empty = 0;
    for (const auto& c : spec.constraints) {
        typos += c.kind == Constraint::Kind::typos;
        empty += c.kind == Constraint::Kind::empty_refused;
    }
    CHECK(typos == 1);
    CHECK(empty == 1);
}

TEST_CASE("a malformed probe line or no probe is an error", "[rules][learn_refusals]") {
    CHECK_FALSE(learn_from_refusals("", source()).has_value());
    auto bad = learn_from_refusals("hz\tciri-probe\targument couldn't be parsed into an integer\nhz ciri-probe\n", source());
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().line == 2);
}
