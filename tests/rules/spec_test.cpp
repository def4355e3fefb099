#include "ciri/rules/spec.hpp"

#include <catch2/catch.hpp>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;

TEST_CASE("spec tables round-trip through TSV", "[rules][spec]") {
    auto s = parse_spec_tsv(
        "# comment\nname\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "*\tbool\t\t\t\ton,off\t\t\n"
        "a.dirs\tpath[]\t/x\t\t\t\t\t\n"
        "a.wait\tduration\t10\t1\t60\t-1,auto\ts\ta.wait <= b.wait; removed_in 3.0\n",
        "t.tsv");
    REQUIRE(s.has_value());
    CHECK(s->bool_spellings == std::vector<std::string>{"on", "off"});
    REQUIRE(s->find("A.WAIT"));
    const auto& w = *s->find("a.wait");
    CHECK(w.rule.kind == ValueKind::duration);
    CHECK(w.rule.special == std::vector<double>{-1});
    CHECK(w.rule.enum_values == std::vector<std::string>{"auto"});
    CHECK(s->find("a.dirs")->rule.list);
    REQUIRE(s->constraints.size() == 2);
    CHECK(s->constraints[0].params() == std::vector<std::string>{"a.wait", "b.wait"});
    CHECK(s->constraints[1].kind == Constraint::Kind::removed_in);
    auto again = parse_spec_tsv(write_spec_tsv(*s), "again");
    REQUIRE(again.has_value());
    CHECK(write_spec_tsv(*again) == write_spec_tsv(*s));
}

TEST_CASE("malformed spec rows are errors with their line", "[rules][spec]") {
    auto bad_type = parse_spec_tsv("a\tcolour\n", "t.tsv");
    REQUIRE(!bad_type);
    CHECK(bad_type.error().line == 1);
    CHECK(bad_type.error().message == "unknown type 'colour'");
    CHECK(!parse_spec_tsv("a\tenum\n", "t.tsv"));
    CHECK(!parse_spec_tsv("a\tint\t\tx\n", "t.tsv"));
    CHECK(!parse_spec_tsv("a\tint\t\t\t\t\t\ta ~ b\n", "t.tsv"));
    CHECK(!parse_spec_tsv("a\tint\na\tint\n", "t.tsv"));
}

TEST_CASE("user tables come before shipped ones", "[rules][spec]") {
    auto shipped = load_spec_set("megatron");
    REQUIRE(shipped.has_value());
    REQUIRE(shipped->find("num-attention-heads"));
    CHECK(shipped->find("num-attention-heads")->rule.kind == ValueKind::integer);
    CHECK(!load_spec_set("megatron", {"/nonexistent/x.tsv"}));
}

TEST_CASE("every shipped table parses, and the megatron one catches indivisible heads", "[rules][spec]") {
    for (const char* system : {"deepspeed", "megatron", "vllm", "slurm"}) {
        INFO(system);
        auto s = load_spec_set(system);
        REQUIRE(s.has_value());
        CHECK(s->params.size() >= 10);
    }
    LoadOptions o;
    o.format = "args";
    o.system = "megatron";
    auto f = load_config_bytes("m.args", "--tensor-model-parallel-size 8\n--num-attention-heads 12\n", o);
    REQUIRE(f.has_value());
    auto v = check_file(*f, *load_spec_set("megatron"));
    REQUIRE(v.findings.size() == 2);
    CHECK(v.findings[0].subcategory == "Value Relationship");
    CHECK(v.findings[0].confidence == 1.0);
}
