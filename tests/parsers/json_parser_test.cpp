#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_json(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
constexpr auto parse_fn = &ciri::parse_json;

}  // namespace

TEST_CASE("json: deepspeed config, dotted keys with lines", "[json]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/json/ds_config.json"));
    CHECK(ps.front().key == "train_batch_size");
    CHECK(ps.front().value == "256");
    CHECK(ps.front().line == 2);
    const auto& stage = find(ps, "zero_optimization.stage");
    CHECK(stage.value == "3");
    CHECK(stage.line == 38);
    CHECK(find(ps, "zero_optimization.offload_optimizer.device").value == "cpu");
    CHECK(find(ps, "zero_optimization.offload_optimizer.device").line == 40);
    CHECK(find(ps, "zero_optimization.reduce_bucket_size").value == "5e8");
    CHECK(find(ps, "optimizer.params.betas[1]").value == "0.999");
    CHECK(find(ps, "optimizer.params.betas[1]").line == 23);
    CHECK(find(ps, "fp16.enabled").value == "auto");
    CHECK(find(ps, "bf16.enabled").value == "false");
    CHECK(find(ps, "gradient_clipping").value == "1.0");
    CHECK(find(ps, "activation_checkpointing").value == "{}");
    CHECK(find(ps, "comms_logger.prof_ops").value == "[]");
    CHECK(find(ps, "comms_logger.prof_ops").line == 60);
    // escapes are decoded
    CHECK(find(ps, "tensorboard.output_path").value == "/mnt/logs/tb/run-1");
    CHECK(find(ps, "tensorboard.job_name").value == "llama_7b_\xc3\xa9t\xc3\xa9");
    for (size_t i = 1; i < ps.size(); ++i) CHECK(ps[i - 1].line <= ps[i].line);
}

TEST_CASE("json: top-level arrays, null, duplicates", "[json]") {
    auto ps = parse_ok(parse_fn, "[\n {\"x\": 1, \"y\": null},\n 2,\n [true]\n]");
    REQUIRE(ps.size() == 4);
    CHECK((ps[0].key == "[0].x" && ps[0].value == "1" && ps[0].line == 2));
    CHECK((ps[1].key == "[0].y" && ps[1].value == "null"));
    CHECK((ps[2].key == "[1]" && ps[2].value == "2" && ps[2].line == 3));
    CHECK((ps[3].key == "[2][0]" && ps[3].value == "true" && ps[3].line == 4));
    auto dup = parse_ok(parse_fn, "{\"a\": 1,\n \"a\": 2,\n \"a.b\": {\"c\": -0.5e+3}}");
    REQUIRE(dup.size() == 3);
    CHECK((dup[0].key == "a" && dup[0].value == "1" && dup[0].line == 1));
    CHECK((dup[1].key == "a" && dup[1].value == "2" && dup[1].line == 2));
    CHECK((dup[2].key == "a.b.c" && dup[2].value == "-0.5e+3"));
    CHECK(parse_ok(parse_fn, "{}").size() == 1);
    CHECK(parse_ok(parse_fn, "{}")[0].value == "{}");
}

TEST_CASE("json: comments are rejected clearly", "[json]") {
    auto r = ciri::parse_json(read_fixture("parsers/json/jsonc_settings.json"), {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "comments are not allowed in json");
    CHECK(r.error().line == 3);
    auto block = ciri::parse_json("{\"a\": 1 /* no */}", {});
    REQUIRE_FALSE(block.has_value());
    CHECK(block.error().message == "comments are not allowed in json");
}

TEST_CASE("json: syntax errors carry the line", "[json]") {
    auto comma = ciri::parse_json(read_fixture("parsers/json/trailing_comma.json"), {});
    REQUIRE_FALSE(comma.has_value());
    CHECK(comma.error().line == 4);
    CHECK(comma.error().message.find("unexpected '}'") != std::string::npos);
    CHECK(comma.error().message.find("json.exception") == std::string::npos);
    auto eof = ciri::parse_json("{\n \"a\": 1\n\n\n", {});
    REQUIRE_FALSE(eof.has_value());
    CHECK(eof.error().line == 2);
    CHECK(eof.error().message.find("end of input") != std::string::npos);
    auto str = ciri::parse_json("{\n \"a\": \"x\n\"}", {});
    REQUIRE_FALSE(str.has_value());
    CHECK(str.error().line == 2);
    auto word = ciri::parse_json("{\"a\": 1,\n\"b\": yes}", {});
    REQUIRE_FALSE(word.has_value());
    CHECK(word.error().line == 2);
    auto empty = ciri::parse_json("", {});
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().line == 1);
    auto scalar = ciri::parse_json("\n42\n", {});
    REQUIRE_FALSE(scalar.has_value());
    CHECK(scalar.error().line == 2);
}

TEST_CASE("json: nesting deeper than the limit is an error with its line", "[json]") {
    std::string deep;
    for (int i = 0; i < 70; ++i) deep += "{\"k\":\n";
    deep += "1";
    for (int i = 0; i < 70; ++i) deep += "}";
    auto r = ciri::parse_json(deep, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("nesting") != std::string::npos);
    CHECK(r.error().line == 65);
    ciri::ParseLimits wide;
    wide.max_depth = 100;
    auto ok = ciri::parse_json(deep, wide);
    REQUIRE(ok.has_value());
    REQUIRE(ok->size() == 1);
    CHECK(ok->front().line == 70);
    // a million open brackets neither overflow the stack nor pass
    CHECK_FALSE(ciri::parse_json(std::string(1'000'000, '['), {}).has_value());
}

TEST_CASE("json: parameter limit", "[json]") {
    ciri::ParseLimits few;
    few.max_params = 2;
    CHECK_FALSE(ciri::parse_json("[1, 2, 3]", few).has_value());
    CHECK(ciri::parse_json("[1, 2]", few).has_value());
}

TEST_CASE("json: garbage never crashes", "[json]") {
    const char* inputs[] = {"\x01\x02\xff\xfe", "{\"a\"", "{\"a\" 1}", "[,]", "{\"\\uZZZZ\": 1}",
                            "\"unterminated", "{]", "[1 2]", "{\"a\": 01}", "nul",
                            "{\"\xff\": 1}"};
    for (const char* in : inputs) {
        auto r = ciri::parse_json(in, {});
        CHECK_FALSE(r.has_value());
        if (!r) CHECK(r.error().line == 1);
    }
}
