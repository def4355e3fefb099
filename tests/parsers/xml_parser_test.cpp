#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_xml(std::string_view, const ParseLimits&);
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
constexpr auto parse_fn = &ciri::parse_xml;

}  // namespace

TEST_CASE("xml: tomcat server.xml fixture", "[xml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/xml/server.xml"));
    CHECK(find(ps, "Server.@port").value == "8005");
    CHECK(find(ps, "Server.@port").line == 3);
    CHECK(find(ps, "Server.@port").description ==
          "Note: A \"Server\" is not itself a \"Container\"");
    // Repeated siblings are indexed, single ones are not.
    CHECK(find(ps, "Server.Listener[0].@className").value ==
          "org.apache.catalina.startup.VersionLoggerListener");
    CHECK(find(ps, "Server.Listener[1].@SSLEngine").value == "on");
    CHECK(find(ps, "Server.Listener[1].@SSLEngine").line == 5);
    const auto& port = find(ps, "Server.Service.Connector.@port");
    CHECK(port.value == "8080");
    CHECK(port.line == 15);
    CHECK(port.description == "HTTP/1.1 connector on port 8080");
    CHECK(find(ps, "Server.Service.Engine.Host.@unpackWARs").value == "true");
    CHECK(find(ps, "Server.Service.Engine.Host.Valve.@pattern").value ==
          "%h %l %u %t \"%r\" %s %b");
    // Elements that only hold attributes or children are no parameters themselves.
    CHECK(find_all(ps, "Server.Service").empty());
    CHECK(find_all(ps, "Server.Listener[0]").empty());
    CHECK(ps.size() == 23);
}

TEST_CASE("xml: leaf text, empty leaves, repeated leaves", "[xml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/xml/logback.xml"));
    CHECK(find(ps, "configuration.@scan").value == "true");
    CHECK(find(ps, "configuration.appender.file").value == "/var/log/app.log");
    CHECK(find(ps, "configuration.appender.file").line == 3);
    CHECK(find(ps, "configuration.appender.append").value == "");
    CHECK(find(ps, "configuration.appender.encoder.pattern").value ==
          "%d %-5level [%thread] %logger{35} - %msg%n");
    CHECK(find(ps, "configuration.root.appender-ref.@ref").value == "FILE");

    auto list = parse_ok(parse_fn, "<a>\n  <b>1</b>\n  <c>x</c>\n  <b>\n    2\n  </b>\n  <b/>\n</a>\n");
    REQUIRE(list.size() == 4);
    CHECK(list[0].key == "a.b[0]");
    CHECK(list[1].key == "a.c");
    CHECK(list[2].key == "a.b[1]");
    CHECK(list[2].value == "2");
    CHECK(list[2].line == 4);
    CHECK(list[3].key == "a.b[2]");
    CHECK(list[3].value == "");
}

TEST_CASE("xml: entities, cdata, namespaces, mixed content", "[xml]") {
    auto ps = parse_ok(parse_fn, 
        "<?xml version=\"1.0\"?>\n"
        "<beans xmlns:p=\"http://example.com/p\">\n"
        "  <p:bean p:id=\"x&amp;y\"><![CDATA[a < b]]></p:bean>\n"
        "  <note>before <b>bold</b> after</note>\n"
        "</beans>\n");
    CHECK(find(ps, "beans.@xmlns:p").value == "http://example.com/p");
    CHECK(find(ps, "beans.p:bean.@p:id").value == "x&y");
    CHECK(find(ps, "beans.p:bean").value == "a < b");
    CHECK(find(ps, "beans.note").value == "before after");
    CHECK(find(ps, "beans.note.b").value == "bold");
}

TEST_CASE("xml: a DOCTYPE with an external entity is not expanded", "[xml]") {
    auto ps =
        parse_ok(parse_fn, "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<r><v>&e;</v></r>\n");
    CHECK(find(ps, "r.v").value == "&e;");
}

TEST_CASE("xml: depth beyond the limit is an error at the element", "[xml]") {
    std::string text;
    for (int i = 0; i < 8; ++i) text += "<e" + std::to_string(i) + ">\n";
    text += "x";
    for (int i = 7; i >= 0; --i) text += "</e" + std::to_string(i) + ">";
    ciri::ParseLimits limits;
    limits.max_depth = 5;
    auto e = parse_err(parse_fn, text, limits);
    CHECK(e.message == "xml nested too deeply");
    CHECK(e.line == 6);
    limits.max_depth = 8;
    auto ps = parse_ok(parse_fn, text, limits);
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].key == "e0.e1.e2.e3.e4.e5.e6.e7");
}

TEST_CASE("xml: malformed input and the parameter limit", "[xml]") {
    auto e = parse_err(parse_fn, "<a>\n<b>1</b>\n<c>\n</a>\n");
    CHECK(e.message.starts_with("malformed xml"));
    CHECK(e.line == 3);  // tinyxml2 blames the element left open
    CHECK(parse_err(parse_fn, "<a x=1/>").message == "malformed xml: bad attribute");
    CHECK(parse_err(parse_fn, "   \n").message == "empty xml document");
    CHECK(parse_err(parse_fn, "   \n").line == 1);  // the whole file: line 1
    CHECK(parse_err(parse_fn, "<!-- only a comment -->\n").line == 1);
    ciri::ParseLimits limits;
    limits.max_params = 2;
    CHECK(parse_err(parse_fn, "<a p=\"1\" q=\"2\" r=\"3\"/>", limits).message == "more than 2 parameters");
}

TEST_CASE("xml: garbage never crashes", "[xml]") {
    check_garbage(parse_fn, "<");
    check_garbage(parse_fn, "<a><b></a></b>");
    check_garbage(parse_fn, "<a>&#xFFFFFFFF;</a>");
    std::string deep;
    for (int i = 0; i < 3000; ++i) deep += "<a>";
    check_garbage(parse_fn, deep);
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, "<r>" + random_bytes(seed, 300, "<>/=\"' \nabc&;![]-?") + "</r>");
}
