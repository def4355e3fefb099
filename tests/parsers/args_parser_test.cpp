#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_args(std::string_view, const ParseLimits&);
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
constexpr auto parse_fn = &ciri::parse_args;

}  // namespace

TEST_CASE("args: Megatron pretrain fixture", "[args]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/args/megatron_pretrain_gpt.args"));
    REQUIRE(ps.size() == 28);
    CHECK(ps[0].key == "_positional[0]");
    CHECK(ps[0].value == "torchrun");
    CHECK(ps[0].line == 2);
    CHECK(find(ps, "nproc_per_node").value == "8");
    CHECK(find(ps, "master_port").line == 3);
    CHECK(find(ps, "_positional[1]").value == "pretrain_gpt.py");
    CHECK(find(ps, "_positional[1]").line == 4);
    const auto& layers = find(ps, "num-layers");
    CHECK(layers.value == "24");
    CHECK(layers.line == 7);
    CHECK(find(ps, "lr").value == "2.0e-4");
    CHECK(find(ps, "adam-beta2").value == "0.95");
    CHECK(find(ps, "init-method-std").value == "-0.02");  // a negative number is a value
    CHECK(find(ps, "bf16").value == "");
    CHECK(find(ps, "use-flash-attn").value == "");
    CHECK(find(ps, "use-flash-attn").line == 21);
    CHECK(find(ps, "data-path").value == "/data/my-gpt_text_document");
    CHECK(find(ps, "vocab-file").value == "$VOCAB_FILE");
    CHECK(find(ps, "log-interval").value == "100");
    CHECK(find(ps, "eval-iters").line == 25);
}

TEST_CASE("args: vLLM serve fixture", "[args]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/args/vllm_serve.args"));
    REQUIRE(ps.size() == 12);
    CHECK(ps[1].value == "serve");
    CHECK(ps[2].key == "_positional[2]");
    CHECK(ps[2].value == "meta-llama/Llama-3.1-70B-Instruct");
    CHECK(find(ps, "gpu-memory-utilization").value == "0.92");
    CHECK(find(ps, "gpu-memory-utilization").line == 4);
    CHECK(find(ps, "enable-prefix-caching").value == "");
    CHECK(find(ps, "served-model-name").value == "llama-70b");
    CHECK(find(ps, "override-generation-config").value == "{\"temperature\": 0.6, \"top_p\": 0.9}");
    CHECK(find(ps, "api-key").value == "");
    CHECK(find(ps, "api-key").line == 10);
}

TEST_CASE("args: flags, values, repeats and --", "[args]") {
    auto ps = parse_ok(parse_fn, 
        "--a 1 --b=2 -c 3 --d -5 --e -.5 --f --g\n"
        "--h=x=y --i '' --lora-modules a=1 --lora-modules b=2\n"
        "--j \"two words\" -- --not-a-flag last\n");
    REQUIRE(ps.size() == 14);
    CHECK(ps[0].key == "a");
    CHECK(ps[0].value == "1");
    CHECK(ps[1].key == "b");
    CHECK(ps[1].value == "2");
    CHECK(ps[2].key == "c");
    CHECK(ps[2].value == "3");
    CHECK(ps[3].value == "-5");
    CHECK(ps[4].value == "-.5");
    CHECK(ps[5].key == "f");
    CHECK(ps[5].value == "");
    CHECK(ps[6].key == "g");
    CHECK(ps[6].value == "");
    CHECK(ps[7].key == "h");
    CHECK(ps[7].value == "x=y");
    CHECK(ps[7].line == 2);
    CHECK(ps[8].value == "");
    auto lora = find_all(ps, "lora-modules");
    REQUIRE(lora.size() == 2);
    CHECK(lora[1]->value == "b=2");
    CHECK(ps[11].value == "two words");
    CHECK(ps[11].line == 3);
    CHECK(ps[12].key == "_positional[0]");
    CHECK(ps[12].value == "--not-a-flag");
    CHECK(ps[13].value == "last");
}

TEST_CASE("args: shell splitting details", "[args]") {
    auto ps = parse_ok(parse_fn, 
        "# leading comment\n"
        "--a x#y --b \\\n"
        "   2 --c \"multi\n"
        "line\" --d \"$(nproc --all)\" --e ${N:-8 4} --f a\\ b\n"
        "--g 'x\"y' --h \"x\\\"y\"\n");
    REQUIRE(ps.size() == 8);
    CHECK(ps[0].value == "x#y");  // `#` inside a word is no comment
    CHECK(ps[1].value == "2");
    CHECK(ps[1].line == 2);
    CHECK(ps[2].value == "multi\nline");
    CHECK(ps[2].line == 3);
    CHECK(ps[3].key == "d");
    CHECK(ps[3].value == "$(nproc --all)");
    CHECK(ps[3].line == 4);
    CHECK(ps[4].value == "${N:-8 4}");
    CHECK(ps[5].value == "a b");
    CHECK(ps[6].value == "x\"y");
    CHECK(ps[7].value == "x\"y");
    CHECK(ps[7].line == 5);
}

TEST_CASE("args: unterminated quotes are errors with their line", "[args]") {
    auto e = parse_err(parse_fn, "--a 1\n--b 'oops\n--c 3\n");
    CHECK(e.message == "unterminated quote");
    CHECK(e.line == 2);
    CHECK(parse_err(parse_fn, "--a \"x\n").line == 1);
    CHECK(parse_err(parse_fn, "--a 1\n--b $(date\n").message == "unterminated substitution");
}

TEST_CASE("args: limits and garbage", "[args]") {
    ciri::ParseLimits limits;
    limits.max_params = 2;
    auto e = parse_err(parse_fn, "--a 1\n--b 2\n--c 3\n", limits);
    CHECK(e.message == "more than 2 parameters");
    CHECK(e.line == 3);
    CHECK(parse_ok(parse_fn, "").empty());
    check_garbage(parse_fn, "\\");
    check_garbage(parse_fn, "-");
    check_garbage(parse_fn, "--=");
    check_garbage(parse_fn, "$(");
    check_garbage(parse_fn, "`");
    check_garbage(parse_fn, std::string(5000, '$') + "(");
    for (unsigned seed = 1; seed <= 50; ++seed)
        check_garbage(parse_fn, random_bytes(seed, 400, "-=ab \"'\\#$(){}`\n\t1"));
}
