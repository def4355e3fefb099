#include "ciri/rules_opinions.hpp"

#include <catch2/catch.hpp>

#include "parsers/load.hpp"

TEST_CASE("rules_opinions: wrong for findings, ok where a check ran, abstain elsewhere", "[rules][opinion]") {
    ciri::LoadOptions load;
    load.format = "properties";
    load.system = "redis";
    // A port out of range (wrong), a plain port (a check ran: ok), and a name no rule knows.
    auto file = ciri::load_config_bytes("t.properties", "server.port=98640\nclient.port=6379\nzz.qq=hello\n", load);
    REQUIRE(file);
    ciri::SpecSet spec;
    auto verdict = ciri::check_file(*file, spec);
    auto v = ciri::rules_opinions(*file, spec, verdict, 2.0);
    CHECK(v.name == "rules");
    CHECK(v.answered);
    CHECK(v.weight == 2.0);
    CHECK(v.on("server.port").stance == ciri::Stance::wrong);
    CHECK_FALSE(v.on("server.port").category.empty());
    CHECK(v.on("server.port").line == 1);
    CHECK(v.on("client.port").stance == ciri::Stance::ok);
    CHECK(v.on("zz.qq").stance == ciri::Stance::abstain);
    // A chunk sees its own parameters only.
    ciri::ConfigFile chunk = *file;
    chunk.params.erase(chunk.params.begin());
    auto part = ciri::opinions_within(v, chunk);
    CHECK(part.on("server.port").stance == ciri::Stance::abstain);
    CHECK(part.on("client.port").stance == ciri::Stance::ok);
}
