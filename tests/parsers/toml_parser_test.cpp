#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_toml(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
using ciri::test::parse_err;
constexpr auto parse_fn = &ciri::parse_toml;

}  // namespace

TEST_CASE("toml: pyproject tables, arrays and arrays of tables", "[toml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/toml/pyproject.toml"));
    const auto& req = find(ps, "build-system.requires");
    CHECK(req.value == R"(["setuptools>=68", "wheel"])");
    CHECK(req.line == 2);
    CHECK(req.section == "build-system");
    CHECK(find(ps, "project.name").value == "llm-serving");
    CHECK(find(ps, "project.license.text").value == "Apache-2.0");
    CHECK(find(ps, "project.license.text").line == 11);
    CHECK(find(ps, "project.authors[0].email").value == "ada@example.org");
    CHECK(find(ps, "project.authors[1].name").line == 14);
    const auto& deps = find(ps, "project.dependencies");
    CHECK(deps.line == 16);
    CHECK(deps.value.starts_with("[\n    \"vllm==0.4.2\",  # pinned"));
    CHECK(deps.value.ends_with("'pydantic>=2',\n]"));
    CHECK(find(ps, "project.optional-dependencies.dev").value == R"(["pytest", "ruff"])");
    CHECK(find(ps, "tool.ruff.line-length").value == "100");
    CHECK(find(ps, "tool.mypy.overrides[0].module").value == "vllm.*");
    CHECK(find(ps, "tool.mypy.overrides[1].module").value == R"(["torch.*", "triton.*"])");
    CHECK(find(ps, "tool.mypy.overrides[1].ignore_missing_imports").line == 41);
    CHECK(find(ps, "tool.mypy.overrides[1].module").section == "tool.mypy.overrides[1]");
}

TEST_CASE("toml: serving config with strings, dates, inline tables", "[toml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/toml/serving.toml"));
    CHECK(ps[0].key == "title");
    CHECK(ps[0].description == "vLLM-style engine settings for the inference fleet.");
    CHECK(ps[0].section.empty());
    CHECK(find(ps, "updated").value == "2024-05-27 07:32:00Z");
    CHECK(find(ps, "engine.model").value == "meta-llama/Meta-Llama-3-8B-Instruct");
    CHECK(find(ps, "engine.gpu_memory_utilization").value == "0.90");
    CHECK(find(ps, "engine.max_model_len").value == "8_192");
    CHECK(find(ps, "engine.swap_space").value == "4");
    CHECK(find(ps, "engine.quantization.method").value == "awq");
    CHECK(find(ps, "engine.kv_cache.dtype").value == "fp8_e5m2");
    const auto& tpl = find(ps, "engine.chat_template");
    CHECK(tpl.value == "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
    CHECK(tpl.line == 15);
    CHECK(find(ps, "engine.stop_regex").value == R"(\d+\.\s)");
    CHECK(find(ps, "engine.stop_regex").line == 19);
    CHECK(find(ps, "engine.scheduler.policy.preemption").value == "swap");
    CHECK(find(ps, "engine.scheduler.limits").value == "{}");
    CHECK(find(ps, "servers[0].host").value == "10.0.0.1");
    CHECK(find(ps, "servers[1].host").line == 32);
    CHECK(find(ps, "servers[1].gpus").value == "[2,\n        3]");
    CHECK(find(ps, "servers[1].routes[0].path").value == "/v1/completions");
    CHECK(find(ps, "servers[1].tls.enabled").line == 41);
    CHECK(ps.back().key == "servers[1].tls.enabled");
}

TEST_CASE("toml: duplicates and re-opened tables are kept", "[toml]") {
    auto ps = parse_ok(parse_fn, "a = 1\na = 2\n[t]\nx = 1\n[t]\nx = 2\n");
    REQUIRE(ps.size() == 4);
    CHECK((ps[1].key == "a" && ps[1].value == "2" && ps[1].line == 2));
    CHECK((ps[3].key == "t.x" && ps[3].value == "2" && ps[3].line == 6));
}

TEST_CASE("toml: escapes and number forms", "[toml]") {
    auto ps = parse_ok(parse_fn, "s = \"tab\\tq\\\"\\u00e9\"\nh = 0xDEAD_beef\nf = -1.5e-3\ni = +inf\n"
                       "d = 1979-05-27\nt = 07:32:00\nq = \"\"\"a\"\"\"\"\n'k.e' = 'v'\n");
    REQUIRE(ps.size() == 8);
    CHECK(ps[0].value == "tab\tq\"\xc3\xa9");
    CHECK(ps[1].value == "0xDEAD_beef");
    CHECK(ps[2].value == "-1.5e-3");
    CHECK(ps[3].value == "+inf");
    CHECK(ps[4].value == "1979-05-27");
    CHECK(ps[5].value == "07:32:00");
    CHECK(ps[6].value == "a\"");
    CHECK(ps[7].key == "k.e");
}

TEST_CASE("toml: malformed input is an error with its line", "[toml]") {
    CHECK(parse_err(parse_fn, "a = 1\nb 2\n").line == 2);
    CHECK(parse_err(parse_fn, "a = 1\nb 2\n").message == "missing '=' after key");
    CHECK(parse_err(parse_fn, "a = 1\nb = \"open\nc = 2\n").message == "unterminated string");
    CHECK(parse_err(parse_fn, "a = 1\nb = \"open\nc = 2\n").line == 2);
    CHECK(parse_err(parse_fn, "x = 1\nb = \"\"\"never\nclosed\n").line == 2);
    auto arr = parse_err(parse_fn, "a = [1,\n 2,\n 3\n");
    CHECK(arr.message == "unterminated array");
    CHECK(arr.line == 1);
    CHECK(parse_err(parse_fn, "[a.b\nx = 1\n").line == 1);
    CHECK(parse_err(parse_fn, "a = 1\n[[t]\n").line == 2);
    auto word = parse_err(parse_fn, "\nmode = fast\n");
    CHECK(word.message == "invalid value 'fast'");
    CHECK(word.line == 2);
    CHECK(parse_err(parse_fn, "a = 1 2\n").message == "unexpected text after value");
    CHECK(parse_err(parse_fn, "a =\n").message == "missing value");
    CHECK(parse_err(parse_fn, "t = {x = 1\n").message == "unterminated inline table");
    CHECK(parse_err(parse_fn, "a = \"\\q\"\n").message == "invalid escape in string");
}

TEST_CASE("toml: depth and parameter limits", "[toml]") {
    std::string deep = "a = " + std::string(100, '[') + std::string(100, ']') + "\n";
    auto r = ciri::parse_toml(deep, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("nesting") != std::string::npos);
    CHECK(r.error().line == 1);
    ciri::ParseLimits wide;
    wide.max_depth = 200;
    CHECK(ciri::parse_toml(deep, wide).has_value());
    CHECK_FALSE(ciri::parse_toml(std::string(1'000'000, '{'), {}).has_value());
    ciri::ParseLimits few;
    few.max_params = 1;
    CHECK_FALSE(ciri::parse_toml("a = 1\nb = 2\n", few).has_value());
}

TEST_CASE("toml: garbage never crashes", "[toml]") {
    const char* inputs[] = {"\x01\x02\xff", "[", "[[", "]", "=", "a.=1", "a = [,]",
                            "a = {,}", "a = 'x", "\"\"\" = 1", "a = \"\\u12\"",
                            "a = 1979-05-27 ", "a = [{b = [{c = 1}]}]", "a = \"\\"};
    for (const char* in : inputs) {
        auto r = ciri::parse_toml(in, {});
        if (r) CHECK(r->size() < 5);
        else CHECK(r.error().line == 1);
    }
}
