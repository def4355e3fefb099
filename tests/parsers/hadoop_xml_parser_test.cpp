#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_hadoop_xml(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::find_all;
using ciri::test::random_bytes;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
using ciri::test::parse_err;
using ciri::test::check_garbage;
constexpr auto parse_fn = &ciri::parse_hadoop_xml;

}  // namespace

TEST_CASE("hadoop-xml: hdfs-site.xml fixture", "[hadoop-xml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/hadoop-xml/hdfs-site.xml"));
    REQUIRE(ps.size() == 7);
    CHECK(ps[0].key == "dfs.replication");
    CHECK(ps[0].value == "3");
    CHECK(ps[0].line == 13);
    CHECK(ps[0].description ==
          "Default block replication. The actual number of replications can be specified when "
          "the file is created. The default is used if replication is not specified in create "
          "time.");
    // Value spread over lines is trimmed, not collapsed; final shows in the description.
    CHECK(ps[1].value == "file:///data/1/dfs/nn,file:///data/2/dfs/nn");
    CHECK(ps[1].description == "[final]");
    CHECK(ps[2].description.ends_with("where it should store its blocks. [final]"));
    CHECK(find(ps, "dfs.hosts.exclude").value == "");
    // Duplicates are kept in order with their own lines.
    auto reps = find_all(ps, "dfs.replication");
    REQUIRE(reps.size() == 2);
    CHECK(reps[1]->value == "2");
    CHECK(reps[1]->line == 49);
    const auto& filter = find(ps, "dfs.web.authentication.filter");
    CHECK(filter.value == "org.apache.hadoop.hdfs.web.AuthFilter&secure=true");
    CHECK(filter.description == "Filter class with <entities> & CDATA.");
    for (const auto& p : ps) CHECK(p.section.empty());
}

TEST_CASE("hadoop-xml: core-site.xml fixture with the attribute form", "[hadoop-xml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/hadoop-xml/core-site.xml"));
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].description ==
          "The name of the default file system. A URI whose scheme and authority determine the "
          "FileSystem implementation.");
    CHECK(find(ps, "hadoop.tmp.dir").value == "/tmp/hadoop-${user.name}");
    const auto& auth = find(ps, "hadoop.security.authentication");
    CHECK(auth.value == "kerberos");
    CHECK(auth.line == 18);
    CHECK(auth.description == "[final]");
}

TEST_CASE("hadoop-xml: awkward properties", "[hadoop-xml]") {
    auto ps = parse_ok(parse_fn, 
        "<configuration>\n"
        "<property><name> a.b </name><value>  spaced value  </value></property>\n"
        "<property><name>no.value</name></property>\n"
        "<property><name>c</name><value>x<!-- note -->y</value><final>false</final></property>\n"
        "<other>ignored</other>\n"
        "<configuration><property><name>nested</name><value>1</value></property></configuration>\n"
        "</configuration>\n");
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].key == "a.b");
    CHECK(ps[0].value == "spaced value");
    CHECK(ps[0].line == 2);
    CHECK(ps[1].value == "");
    CHECK(ps[2].value == "xy");
    CHECK(ps[2].description == "");
    CHECK(ps[3].key == "nested");
    CHECK(ps[3].line == 6);
}

TEST_CASE("hadoop-xml: property without a name is an error at its line", "[hadoop-xml]") {
    auto e = parse_err(parse_fn, 
        "<configuration>\n<property><name>a</name></property>\n\n"
        "<property>\n<value>1</value></property>\n</configuration>\n");
    CHECK(e.message == "property without a name");
    CHECK(e.line == 4);
    CHECK(
        parse_err(parse_fn, "<configuration><property><name>  </name></property></configuration>").message ==
        "property without a name");
}

TEST_CASE("hadoop-xml: malformed xml gives tinyxml2's line", "[hadoop-xml]") {
    auto e = parse_err(parse_fn, 
        "<configuration>\n<property>\n<name>a</name>\n<value>1</valu>\n"
        "</property>\n</configuration>\n");
    CHECK(e.line == 4);
    CHECK(e.message.starts_with("malformed xml"));
    CHECK(parse_err(parse_fn, "").message == "empty xml document");
    CHECK(parse_err(parse_fn, "").line == 1);  // the whole file: line 1
    CHECK(parse_err(parse_fn, "<configuration>\n<property>\n").line > 0);
    auto root = parse_err(parse_fn, "<?xml version=\"1.0\"?>\n<conf>\n</conf>\n");
    CHECK(root.message == "root element is <conf>, not <configuration>");
    CHECK(root.line == 2);
}

TEST_CASE("hadoop-xml: a DOCTYPE with entities is not expanded", "[hadoop-xml]") {
    auto ps = parse_ok(parse_fn, 
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE configuration [\n"
        "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
        "]>\n"
        "<configuration>\n"
        "<property><name>a</name><value>&xxe;</value></property>\n"
        "</configuration>\n");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].value == "&xxe;");
    CHECK(ps[0].line == 6);
}

TEST_CASE("hadoop-xml: limits", "[hadoop-xml]") {
    std::string text = "<configuration>\n";
    for (int i = 0; i < 5; ++i)
        text += "<property><name>p" + std::to_string(i) + "</name><value>1</value></property>\n";
    text += "</configuration>\n";
    ciri::ParseLimits limits;
    limits.max_params = 4;
    auto e = parse_err(parse_fn, text, limits);
    CHECK(e.message == "more than 4 parameters");
    CHECK(e.line == 6);
    limits.max_params = 5;
    CHECK(parse_ok(parse_fn, text, limits).size() == 5);

    std::string deep = "<configuration>";
    for (int i = 0; i < 10; ++i) deep += "<configuration>";
    for (int i = 0; i < 11; ++i) deep += "</configuration>";
    limits.max_depth = 5;
    CHECK(parse_err(parse_fn, deep, limits).message == "xml nested too deeply");
}

TEST_CASE("hadoop-xml: garbage never crashes", "[hadoop-xml]") {
    check_garbage(parse_fn, "<configuration><property><name>");
    check_garbage(parse_fn, "<<<>>>&&&;;");
    check_garbage(parse_fn, std::string(5000, '<'));
    check_garbage(parse_fn, "<configuration>" + std::string(3000, '\n') + "<property></configuration>");
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "<a>";
    check_garbage(parse_fn, deep);
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, "<configuration>" + random_bytes(seed, 300, "<>/=\"' \nabc&;![]-?") +
                      "</configuration>");
}
