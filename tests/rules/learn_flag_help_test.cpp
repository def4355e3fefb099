#include "ciri/rules/learn_flag_help.hpp"

#include <catch2/catch.hpp>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"
#include "tests/rules/rules_test_util.hpp"

using namespace ciri;

namespace {

// A listing in the shape `etcd --help` prints (written for the test).
const char* kHelp =
    "Usage:\n"
    "\n"
    "  prog [flags]\n"
    "    Start it.\n"
    "\n"
    "  prog --config-file\n"
    "    Path to the configuration file.\n"
    "\n"
    "Member:\n"
    "  --name 'default'\n"
    "    A name.\n"
    "  --snapshot-count '100000'\n"
    "    Number of entries.\n"
    "  --heartbeat-interval '100'\n"
    "    Time (in milliseconds) of a beat.\n"
    "  --keepalive-min-time '5s'\n"
    "    Minimum wait.\n"
    "  --enable-v2 'false'\n"
    "    Accept old requests.\n"
    "  --bcrypt-cost 10\n"
    "    A cost,\n"
    "    over two lines.\n"
    "  --name 'other'\n"
    "    Listed twice: the first wins.\n";

const char* kTypes =
    "snapshot-count\tuint64\n"
    "heartbeat-interval\tuint\n"
    "keepalive-min-time\ttime.Duration\n"
    "bcrypt-cost\tint\n"
    "name\tstring\n";

std::vector<std::string> flagged(const std::string& yaml, const SpecSet& spec) {
    return test::flagged_in(yaml, "etcd", "yaml", spec);
}

SpecSet learned(std::string_view types) {
    auto spec = learn_from_flag_help(kHelp, {"etcd", "3.4", "etcd --help", "", false}, types);
    REQUIRE(spec.has_value());
    auto back = parse_spec_tsv(write_spec_tsv(*spec), "round trip");
    REQUIRE(back.has_value());
    return *back;
}

}  // namespace

TEST_CASE("a --help listing gives each flag once, with its default and description", "[rules][learn_flag_help]") {
    auto flags = parse_flag_help(kHelp);
    REQUIRE(flags.size() == 6);
    CHECK(flags[0].name == "name");
    CHECK(flags[0].default_value == "default");
    CHECK(flags[1].default_value == "100000");
    CHECK(flags[5].name == "bcrypt-cost");
    CHECK(flags[5].default_value == "10");
    CHECK(flags[5].description == "A cost, over two lines.");
}

TEST_CASE("the types the program names make the rows of its config keys", "[rules][learn_flag_help]") {
    SpecSet spec = learned(kTypes);
    const ParamSpec& count = spec.params.at("snapshot-count");
    CHECK(count.rule.kind == ValueKind::integer);
    CHECK(count.rule.min == 0);
    CHECK(count.documented);
    CHECK(spec.params.at("heartbeat-interval").unit == "ms");
    CHECK(spec.params.at("keepalive-min-time").unit == "ns");
    CHECK(spec.params.at("keepalive-min-time").default_value == "5000000000");
    CHECK_FALSE(count.rule.max.has_value());
    CHECK(spec.params.at("enable-v2").rule.kind == ValueKind::boolean);
    CHECK(spec.params.at("name").rule.kind == ValueKind::string);
    // What etcd 3.4 refuses in its YAML file: a negative or fractional uint64, a Go duration
    // written with a unit (the file takes nanoseconds), a word for a bool.
    CHECK(flagged("snapshot-count: -1\n", spec) == std::vector<std::string>{"snapshot-count"});
    CHECK(flagged("snapshot-count: 1.5\n", spec) == std::vector<std::string>{"snapshot-count"});
    CHECK(flagged("keepalive-min-time: 5s\n", spec) == std::vector<std::string>{"keepalive-min-time"});
    CHECK(flagged("enable-v2: maybe\n", spec) == std::vector<std::string>{"enable-v2"});
    // And what it accepts.
    // The row states the range: a count past 32 bits is no mistake for a uint64.
    CHECK(flagged("snapshot-count: 4000000000\nkeepalive-min-time: 5000000000\nenable-v2: true\nname: n1\n"
                  "heartbeat-interval: 100\nbcrypt-cost: -3\n",
                  spec)
              .empty());
}

TEST_CASE("with the program's types a quoted value for a typed key is a finding", "[rules][learn_flag_help]") {
    SpecSet spec = learned(kTypes);
    // etcd decodes its YAML into Go fields: '100' and '' are strings, refused for a uint64.
    CHECK(flagged("snapshot-count: '100'\n", spec) == std::vector<std::string>{"snapshot-count"});
    CHECK(flagged("snapshot-count: ''\n", spec) == std::vector<std::string>{"snapshot-count"});
    CHECK(flagged("enable-v2: \"true\"\n", spec) == std::vector<std::string>{"enable-v2"});
    CHECK(flagged("snapshot-count: 100\nenable-v2: true\nname: 'n1'\nsnapshot-count:\n", spec).empty());
    // Without the types nothing says the program is strict: a quoted number is judged by its text.
    CHECK(flagged("enable-v2: 'true'\n", learned("")).empty());
}

TEST_CASE("without the program's types only true/false defaults are typed", "[rules][learn_flag_help]") {
    SpecSet spec = learned("");
    CHECK(spec.params.at("enable-v2").rule.kind == ValueKind::boolean);
    CHECK(spec.params.at("snapshot-count").rule.kind == ValueKind::string);
    CHECK(flagged("snapshot-count: -1\n", spec).empty());
}

TEST_CASE("a listing without flags or a malformed types file is an error", "[rules][learn_flag_help]") {
    DefaultsSource src{"etcd", "", "help.txt", "", false};
    CHECK_FALSE(learn_from_flag_help("Usage: prog\n", src).has_value());
    auto bad = learn_from_flag_help(kHelp, src, "snapshot-count uint64\n");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().line == 1);
}
