#include "ciri/rules/learn_defaults.hpp"

#include <catch2/catch.hpp>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"

using namespace ciri;

namespace {

ConfigFile parse(const std::string& text, const std::string& system, const std::string& format) {
    LoadOptions o;
    o.system = system;
    o.format = format;
    auto f = load_config_bytes("t", text, o);
    REQUIRE(f.has_value());
    return *f;
}

std::vector<std::string> flagged(const ConfigFile& file, const SpecSet& spec) {
    std::vector<std::string> out;
    for (const auto& f : check_file(file, spec).findings) out.push_back(f.param);
    return out;
}

// A table learned from a Hadoop-style defaults file holding `properties`.
SpecSet learn_xml(const std::string& properties) {
    auto spec = learn_from_defaults("<?xml version=\"1.0\"?>\n<configuration>\n" + properties + "</configuration>\n",
                                    {"hdfs", "", "x-default.xml", ""});
    REQUIRE(spec.has_value());
    return *spec;
}

}  // namespace

TEST_CASE("descriptions state ranges, units, enumerations and restarts", "[rules][learn_defaults]") {
    auto r = read_description("range 30s-1d", "5min");
    CHECK(r.min == "30s");
    CHECK(r.max == "1d");
    auto lead = read_description("0-100 milliseconds", "0");
    CHECK(lead.min == "0");
    CHECK(lead.max == "100");
    CHECK(lead.unit == "ms");
    auto min = read_description("min 64kB", "4MB");
    CHECK(min.min == "64kb");
    CHECK(min.max.empty());
    auto between = read_description("A ratio; must be between 0.0 and 1.0 inclusive, as the store decides.", "0.4");
    CHECK(between.min == "0.0");
    CHECK(between.max == "1.0");
    CHECK(between.fraction);
    auto list = read_description("level of detail: quiet, normal, or loud", "normal");
    CHECK(list.values == std::vector<std::string>{"quiet", "normal", "loud"});
    // A list without the documented default is not the parameter's list of values.
    CHECK(read_description("quiet, normal, or loud", "shouting").values.empty());
    CHECK(read_description("(change requires restart)", "10").restart);
    CHECK_FALSE(read_description("how many workers", "10").restart);
    auto special = read_description("1-500; -1 disables, 0 means no wait", "5");
    CHECK(special.special == std::vector<std::string>{"-1", "0"});
    CHECK(read_description("on/off switch", "on").boolean);
    CHECK(read_description("", "x").min.empty());
    // A bound in a long paragraph is not read as the parameter's own ("min" of something else).
    std::string paragraph(120, 'x');
    CHECK(read_description(paragraph + " keep at least 3 copies of the min 5 files", "1").min.empty());
}

TEST_CASE("what a document only recommends, or its own default breaks, is not learned", "[rules][learn_defaults]") {
    CHECK(read_description("Values between 1.0 and 1.4 are recommended for most loads; more is allowed.", "1.2").max.empty());
    CHECK(read_description("Must be between 1 and 100.", "5").max == "100");
    // "-1 to use the other setting" keeps -1 valid beside the bound.
    auto spec = learn_from_defaults("#pool_mem = -1\t\t# min 1MB, or -1 to use shared_mem\n"
                                    "#sock_mode = 0777\t\t# begin with 0 to use octal notation\n"
                                    "#acl = 'sasl:yarn@, sasl:hdfs@'\n",
                                    {"postgresql", "", "x.sample", ""});
    REQUIRE(spec.has_value());
    CHECK(spec->params.at("sock_mode").rule.kind == ValueKind::integer);
    auto file = parse("pool_mem = -1\nsock_mode = 388\nacl = 'sasl:mapred@'\n", "postgresql", "conf");
    CHECK(flagged(file, *spec).empty());
    CHECK(flagged(parse("pool_mem = 64kB\n", "postgresql", "conf"), *spec) == std::vector<std::string>{"pool_mem"});
}

TEST_CASE("commented-out settings of a sample become rows, prose stays a comment", "[rules][learn_defaults]") {
    std::string conf = uncomment_settings("# Some prose here.\n#workers = 8\t\t# 1-64\n#include = 'x.conf'\n", "conf");
    CHECK(conf == "# Some prose here.\nworkers = 8\t\t# 1-64\n#include = 'x.conf'\n");
    std::string redis = uncomment_settings("# Note that the server will stop.\n# max-clients 100\n# the rest\n", "directives");
    CHECK(redis == "# Note that the server will stop.\nmax-clients 100\n# the rest\n");
    CHECK(uncomment_settings("#a = 1\n", "python") == "#a = 1\n");
    // An indented comment under a setting's comment carries on its description.
    CHECK(uncomment_settings("#wait = -1\t# -1 is off, more waits that\n\t\t# number of milliseconds\n\n# Next.\n", "conf") ==
          "wait = -1\t# -1 is off, more waits that number of milliseconds\n\n\n# Next.\n");
    CHECK(read_description("-1 is off, more waits that number of milliseconds", "-1").unit == "ms");
    // Values one to a line are a list.
    std::string listed = uncomment_settings("#kind = posix\t# one of:\n\t\t#   posix\n\t\t#   sysv\n", "conf");
    CHECK(listed.starts_with("kind = posix\t# one of:, posix, sysv\n"));
    CHECK(read_description("one of:, posix, sysv", "posix").values == std::vector<std::string>{"posix", "sysv"});
}

TEST_CASE("a sample conf file gives typed rows with ranges, units and restarts", "[rules][learn_defaults]") {
    std::string sample =
        "# An invented server's sample configuration.\n"
        "#max_workers = 100\t\t# (change requires restart)\n"
        "#flush_delay = 200ms\t\t# 10-10000ms between rounds\n"
        "#nap_time = 5min\t\t# range 30s-1d\n"
        "#cache_size = 4MB\t\t# min 64kB\n"
        "#verbosity = normal\t\t# quiet, normal, or loud\n"
        "#fast_path = on\n"
        "#greeting = 'hello there'\n"
        "#wait_cost = 0\t\t# 0-100 milliseconds\n";
    DefaultsSource src{"postgresql", "1.2", "invented.conf.sample", ""};
    auto spec = learn_from_defaults(sample, src);
    REQUIRE(spec.has_value());
    REQUIRE(spec->params.size() == 8);
    const auto& workers = spec->params.at("max_workers");
    CHECK(workers.restart);
    CHECK(workers.documented);
    CHECK(workers.default_value == "100");
    const auto& nap = spec->params.at("nap_time");
    CHECK(nap.rule.kind == ValueKind::duration);
    CHECK(nap.unit == "s");
    CHECK(nap.rule.min == 30);
    CHECK(nap.rule.max == 86400);
    const auto& cache = spec->params.at("cache_size");
    CHECK(cache.rule.kind == ValueKind::size);
    CHECK(cache.rule.min == 64);
    CHECK(spec->params.at("verbosity").rule.kind == ValueKind::enumeration);
    CHECK(spec->params.at("fast_path").rule.kind == ValueKind::boolean);
    CHECK(spec->params.at("greeting").rule.kind == ValueKind::string);
    const auto& wait = spec->params.at("wait_cost");
    CHECK(wait.rule.kind == ValueKind::duration);
    CHECK(wait.unit == "ms");
    CHECK(wait.rule.max == 100);

    // The table checks files: out of range, not a unit, not a listed value; the rest passes.
    auto bad = parse("nap_time = 10s\ncache_size = 16kB\nverbosity = chatty\nfast_path = maybe\nflush_delay = 20ms\n"
                     "wait_cost = 50\ngreeting = 'anything at all'\nmax_workers = 7\n",
                     "postgresql", "conf");
    CHECK(flagged(bad, *spec) == std::vector<std::string>{"nap_time", "cache_size", "verbosity", "fast_path"});
    auto good = parse("nap_time = 1h\ncache_size = 1GB\nverbosity = LOUD\nfast_path = off\nwait_cost = 2ms\n", "postgresql",
                      "conf");
    CHECK(flagged(good, *spec).empty());
    for (const auto& f : check_file(bad, *spec).findings) CHECK(f.basis == "documented");
}

TEST_CASE("legends are no settings, pages are sizes, and a complete document catches misspelt keys",
          "[rules][learn_defaults]") {
    std::string sample =
        "# Memory units:  kB = kilobytes        Time units:  ms  = milliseconds\n"
        "#                MB = megabytes                     s   = seconds\n"
        "#flush_after = 0\t\t# measured in pages, 0 disables\n"
        "#max_workers = 100\t\t# 1-1000\n";
    DefaultsSource src{"postgresql", "1.2", "invented.conf.sample", ""};
    auto spec = learn_from_defaults(sample, src);
    REQUIRE(spec.has_value());
    // The units legend gave no rows; a count of pages takes a size with or without a unit.
    CHECK(spec->params.size() == 2);
    CHECK_FALSE(spec->params.count("MB"));
    CHECK(spec->params.at("flush_after").rule.kind == ValueKind::size);
    auto file = parse("flush_after = 512kB\nmax_worker = 10\n", "postgresql", "conf");
    CHECK(flagged(file, *spec).empty());  // a key the table lacks: unknown, not wrong
    // A document that lists every parameter: one edit from a row is a misspelling.
    src.complete = true;
    auto complete = learn_from_defaults(sample, src);
    REQUIRE(complete.has_value());
    CHECK(flagged(file, *complete) == std::vector<std::string>{"max_worker"});
    CHECK(write_spec_tsv(*complete).find("*\tbool\t\t\t\t\t\ttypos") != std::string::npos);
}

TEST_CASE("a tables of documented defaults round-trips with its extra columns", "[rules][learn_defaults]") {
    std::string sample = "#max_workers = 100\t\t# 1-500 (change requires restart)\n";
    DefaultsSource src{"postgresql", "1.2", "invented.conf.sample", ""};
    auto spec = learn_from_defaults(sample, src);
    REQUIRE(spec.has_value());
    std::string text = defaults_table_header(src) + write_spec_tsv(*spec);
    CHECK(text.find("# postgresql 1.2, learned by `ciri spec learn --from-defaults`. Source: invented.conf.sample") == 0);
    CHECK(text.find("\tsince\tuntil\trestart\torigin\n") != std::string::npos);
    auto again = parse_spec_tsv(text, "again");
    REQUIRE(again.has_value());
    again->system = "postgresql";
    const auto& row = again->params.at("max_workers");
    CHECK(row.documented);
    CHECK(row.restart);
    CHECK(row.rule.min == 1);
    CHECK(row.rule.max == 500);
    CHECK(write_spec_tsv(*again) == write_spec_tsv(*spec));
}

TEST_CASE("Hadoop-style descriptions and Python settings give rows too", "[rules][learn_defaults]") {
    SpecSet spec = learn_xml(
        "<property><name>x.enabled</name><value>true</value><description>Turn it on.</description></property>\n"
        "<property><name>x.handler.count</name><value>10</value><description>Threads.</description></property>\n"
        "<property><name>x.mode</name><value>FAST</value>"
        "<description>How to run. Possible values are FAST, SAFE and OFF.</description></property>\n"
        "<property><name>x.dir</name><value>${x.home}/data</value></property>\n");
    CHECK(spec.params.at("x.enabled").rule.kind == ValueKind::boolean);
    CHECK(spec.params.at("x.mode").rule.kind == ValueKind::enumeration);
    // A default that cannot be judged still records that the parameter exists.
    CHECK(spec.params.at("x.dir").rule.kind == ValueKind::string);
    auto file = parse("<configuration><property><name>x.enabled</name><value>yes please</value></property>"
                      "<property><name>x.mode</name><value>SLOW</value></property>"
                      "<property><name>x.dir</name><value>relative/dir</value></property></configuration>",
                      "hdfs", "hadoop-xml");
    CHECK(flagged(file, spec) == std::vector<std::string>{"x.enabled", "x.mode"});

    auto dict = learn_from_defaults("CACHES = {\n    'default': {\n\t'B': 'x',\n    }\n}\n", {"django", "", "g.py", ""});
    REQUIRE(dict.has_value());
    CHECK(dict->params.at("CACHES").default_value == "{ 'default': { 'B': 'x', } }");
    CHECK(parse_spec_tsv(write_spec_tsv(*dict)).has_value());

    auto py = learn_from_defaults("# Whether to run in debug mode.\nDEBUG = False\n\nMAX_FIELDS = 1000\n",
                                  {"django", "4.0", "global_settings.py", ""});
    REQUIRE(py.has_value());
    CHECK(py->params.at("DEBUG").rule.kind == ValueKind::boolean);
    CHECK(py->params.at("DEBUG").default_value == "False");
    CHECK(py->params.at("MAX_FIELDS").rule.kind == ValueKind::integer);  // typed as its literal
}

TEST_CASE("a nameless property of a Hadoop defaults file is passed over", "[rules][learn_defaults]") {
    std::string xml = "<configuration>\n<property>\n<name></name>\n<value>10</value>\n</property>\n"
                      "<property>\n<name>x.count</name>\n<value>10</value>\n</property>\n</configuration>\n";
    auto spec = learn_from_defaults(xml, {"hdfs", "", "x-default.xml", ""});
    REQUIRE(spec.has_value());
    CHECK(spec->params.size() == 1);
    CHECK(spec->params.count("x.count") == 1);
}

TEST_CASE("stated control dependencies become warnings when the file sets the switch", "[rules][learn_defaults]") {
    auto d = read_description("Only used when x.cache.enabled is true. Ignored unless x.mode is set to FAST.", "1");
    REQUIRE(d.used_when.size() == 2);
    CHECK(d.used_when[0] == std::pair<std::string, std::string>{"x.cache.enabled", "true"});
    CHECK(d.used_when[1] == std::pair<std::string, std::string>{"x.mode", "FAST"});
    CHECK(read_description("Only used when needed.", "1").used_when.empty());

    SpecSet spec = learn_xml(
        "<property><name>x.cache.enabled</name><value>false</value></property>\n"
        "<property><name>x.cache.size</name><value>64</value>"
        "<description>Entries kept. Only used when x.cache.enabled is true.</description></property>\n"
        "<property><name>x.hour</name><value>-1</value></property>\n"
        "<property><name>x.ratio</name><value>5</value>"
        "<description>Only used when x.hour is set.</description></property>\n"
        "<property><name>x.other</name><value>1</value>"
        "<description>Requires y.not.here to be enabled.</description></property>\n");
    CHECK(spec.params.at("x.cache.size").constraints == std::vector<std::string>{"x.cache.size requires x.cache.enabled=true"});
    CHECK(spec.params.at("x.other").constraints.empty());  // no such parameter in the document
    CHECK(spec.params.at("x.ratio").constraints.empty());  // "set" of a number is no switch turned on
    auto off = parse("<configuration><property><name>x.cache.enabled</name><value>false</value></property>"
                     "<property><name>x.cache.size</name><value>128</value></property></configuration>",
                     "hdfs", "hadoop-xml");
    auto v = check_file(off, spec);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].param == "x.cache.enabled");  // the switch that makes the other setting dead
    CHECK(v.findings[0].category == "Dependency");
    CHECK(v.findings[0].confidence == Approx(0.7));
    // The switch left at its default: no warning (the operator chose nothing).
    auto alone = parse("<configuration><property><name>x.cache.size</name><value>128</value></property></configuration>",
                       "hdfs", "hadoop-xml");
    CHECK(check_file(alone, spec).findings.empty());
    // The prompt states it for a file that sets the dependent parameter, and only then.
    CHECK(documented_dependencies(alone, spec) ==
          std::vector<std::string>{"x.cache.size takes effect only when x.cache.enabled is true (the documentation says so)"});
    auto other = parse("<configuration><property><name>x.hour</name><value>3</value></property></configuration>", "hdfs",
                       "hadoop-xml");
    CHECK(documented_dependencies(other, spec).empty());
}

TEST_CASE("a document that does not parse is an error", "[rules][learn_defaults]") {
    auto spec = learn_from_defaults("<configuration><property>", {"hdfs", "", "broken.xml", ""});
    CHECK_FALSE(spec.has_value());
}
