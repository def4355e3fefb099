#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_yaml(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::read_fixture;
using ciri::test::parse_ok;
constexpr auto parse_fn = &ciri::parse_yaml;

}  // namespace

TEST_CASE("yaml: kubernetes GPU job, two documents", "[yaml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/yaml/k8s_gpu_job.yaml"));
    const auto& gpu = find(ps, "spec.template.spec.containers[0].resources.limits.nvidia.com/gpu");
    CHECK(gpu.value == "8");
    CHECK(gpu.line == 40);
    CHECK(gpu.section == "document 2");
    const auto& debug = find(ps, "data.NCCL_DEBUG");
    CHECK(debug.value == "INFO");
    CHECK(debug.line == 8);
    CHECK(debug.section == "document 1");
    CHECK(find(ps, "spec.template.spec.nodeSelector.nvidia.com/gpu.product").value ==
          "NVIDIA-A100-SXM4-80GB");
    CHECK(find(ps, "spec.template.spec.containers[0].command[1]").value == "--nproc_per_node=8");
    CHECK(find(ps, "spec.template.spec.containers[0].env[1].value").value == "0,1,2,3,4,5,6,7");
    CHECK(find(ps, "spec.template.spec.containers[0].env[1].value").line == 37);
    CHECK(find(ps, "spec.template.spec.containers[0].envFrom[0].configMapRef.name").value ==
          "nccl-env");
    CHECK(find(ps, "metadata.labels").value == "{}");
    CHECK(find(ps, "spec.template.spec.tolerations").value == "[]");
    CHECK(find(ps, "spec.template.spec.tolerations").line == 51);
    // the first document's first key carries the file's leading comment
    CHECK(ps.front().key == "apiVersion");
    CHECK(ps.front().description == "NCCL settings shared by every rank of the training job.");
    // keys are not prefixed with the document: both documents have metadata.name
    int names = 0;
    for (const auto& p : ps) names += p.key == "metadata.name";
    CHECK(names == 2);
}

TEST_CASE("yaml: etcd config with empty values and comments", "[yaml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/yaml/etcd.conf.yml"));
    const auto& name = find(ps, "name");
    CHECK(name.value == "infra0");
    CHECK(name.line == 4);
    CHECK(name.description == "Human-readable name for this member.");
    CHECK(name.section.empty());
    CHECK(find(ps, "wal-dir").value.empty());
    CHECK(find(ps, "wal-dir").line == 10);
    CHECK(find(ps, "client-transport-security.cert-file").value.empty());
    CHECK(find(ps, "peer-transport-security.key-file").value == "/etc/etcd/peer.key");
    CHECK(find(ps, "log-outputs[0]").value == "stderr");
    CHECK(find(ps, "proxy").value == "off");
    CHECK(ps.back().key == "auto-compaction-retention");
    CHECK(ps.back().line == 57);
}

TEST_CASE("yaml: accelerate config keeps order and lines", "[yaml]") {
    auto ps = parse_ok(parse_fn, read_fixture("parsers/yaml/accelerate_config.yaml"));
    REQUIRE(ps.size() == 22);
    CHECK(ps[0].key == "compute_environment");
    CHECK(ps[2].key == "deepspeed_config.gradient_accumulation_steps");
    CHECK(ps[2].line == 4);
    CHECK(find(ps, "downcast_bf16").value == "no");
    CHECK(find(ps, "tpu_env").value == "[]");
    for (size_t i = 1; i < ps.size(); ++i) CHECK(ps[i - 1].line < ps[i].line);
}

TEST_CASE("yaml: duplicate keys are kept with their own lines", "[yaml]") {
    auto ps = parse_ok(parse_fn, "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n");
    REQUIRE(ps.size() == 4);
    CHECK((ps[1].key == "b.c" && ps[1].value == "2" && ps[1].line == 3));
    CHECK((ps[2].key == "b.c" && ps[2].value == "3" && ps[2].line == 4));
    CHECK((ps[3].key == "a" && ps[3].value == "4" && ps[3].line == 5));
}

TEST_CASE("yaml: scalars as written, nulls, block scalars", "[yaml]") {
    auto ps = parse_ok(parse_fn, 
        "a:\nnull: 1\nb: ~\nc: Null\nd: \"x y\"\ne: |\n  hi\n  there\nf: >\n  one\n  two\n"
        "g: 0x1F\n");
    REQUIRE(ps.size() == 8);
    CHECK((ps[0].key == "a" && ps[0].value.empty() && ps[0].line == 1));
    CHECK((ps[1].key == "null" && ps[1].value == "1" && ps[1].line == 2));
    CHECK(ps[2].value == "~");
    CHECK(ps[3].value == "Null");
    CHECK(ps[4].value == "x y");
    CHECK(ps[5].value == "hi\nthere\n");
    CHECK(ps[5].line == 6);
    CHECK(ps[6].value == "one two\n");
    CHECK(ps[7].value == "0x1F");
}

TEST_CASE("yaml: a quoted scalar is marked quoted, a plain one is not", "[yaml]") {
    auto ps = parse_ok(parse_fn, "a: '100'\nb: 100\nc: \"\"\nd:\ne: !!str 7\nf: |\n  x\ng: [1, '2']\n");
    REQUIRE(ps.size() == 8);
    CHECK((ps[0].value == "100" && ps[0].quoted));
    CHECK((ps[1].value == "100" && !ps[1].quoted));
    CHECK((ps[2].value.empty() && ps[2].quoted));
    CHECK((ps[3].value.empty() && !ps[3].quoted));  // null: nothing written
    CHECK(ps[4].quoted);                             // explicitly a string
    CHECK(ps[5].quoted);                             // a block scalar is a string
    CHECK((ps[6].key == "g[0]" && !ps[6].quoted));
    CHECK((ps[7].key == "g[1]" && ps[7].quoted));
}

TEST_CASE("yaml: aliases and merge keys", "[yaml]") {
    auto ps = parse_ok(parse_fn, "base: &b\n  p: 1\n  q: 2\nlist: &l [x, y]\nm:\n  <<: *b\n  q: 3\n"
                       "n: *l\n");
    std::vector<std::string> keys;
    for (const auto& p : ps) keys.push_back(p.key);
    CHECK(keys == std::vector<std::string>{"base.p", "base.q", "list[0]", "list[1]", "m.p",
                                           "m.q", "m.q", "n[0]", "n[1]"});
    CHECK(find(ps, "n[1]").value == "y");
    CHECK(ps[6].value == "3");
}

TEST_CASE("yaml: top-level list and single document sections", "[yaml]") {
    auto ps = parse_ok(parse_fn, "---\n- name: a\n  port: 1\n- name: b\n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].key == "[0].name");
    CHECK(ps[2].key == "[1].name");
    CHECK(ps[2].line == 4);
    CHECK(ps[2].section.empty());
    // an empty trailing document does not make the file multi-document
    auto one = parse_ok(parse_fn, "a: 1\n---\n");
    REQUIRE(one.size() == 1);
    CHECK(one[0].section.empty());
    CHECK(parse_ok(parse_fn, "").empty());
    CHECK(parse_ok(parse_fn, "# only a comment\n").empty());
}

TEST_CASE("yaml: alias bomb is rejected, not expanded", "[yaml]") {
    auto r = ciri::parse_yaml(read_fixture("parsers/yaml/alias_bomb.yaml"), {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("alias") != std::string::npos);
    CHECK(r.error().line == 6);  // f: [*e, ...] crosses 100000 nodes
    // a modest use of aliases under the same budget is fine
    ciri::ParseLimits small;
    small.max_alias_nodes = 5;
    CHECK(ciri::parse_yaml("a: &a [1, 2]\nb: *a\n", small).has_value());
    auto over = ciri::parse_yaml("a: &a [1, 2, 3, 4, 5, 6]\nb: *a\n", small);
    REQUIRE_FALSE(over.has_value());
    CHECK(over.error().line == 2);
}

TEST_CASE("yaml: self-referencing alias terminates", "[yaml]") {
    auto r = ciri::parse_yaml("a: &a [*a]\n", {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().line == 1);
}

TEST_CASE("yaml: nesting deeper than the limit is an error with its line", "[yaml]") {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
    deep += std::string(200, ' ') + "k: 1\n";
    auto r = ciri::parse_yaml(deep, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("nesting") != std::string::npos);
    CHECK(r.error().line == 65);  // 64 levels pass, the 65th mapping fails
    std::string flow(100000, '[');
    auto f = ciri::parse_yaml(flow, {});
    REQUIRE_FALSE(f.has_value());
    ciri::ParseLimits wide;
    wide.max_depth = 200;
    CHECK(ciri::parse_yaml(deep, wide).has_value());
}

TEST_CASE("yaml: syntax errors carry yaml-cpp's line", "[yaml]") {
    auto r = ciri::parse_yaml("a: 1\nb: [1, 2\nc: 3\n", {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().line >= 2);
    CHECK(r.error().message == "end of sequence flow not found");
    auto m = ciri::parse_yaml("a: 1\nb: 2\n  c: 3\n", {});
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().line == 3);
    CHECK(m.error().message == "illegal map value");
    auto s = ciri::parse_yaml("just some words\n", {});
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().line == 1);
}

TEST_CASE("yaml: input on which yaml-cpp loops forever is an error", "[yaml]") {
    // yaml-cpp 0.7 keeps starting empty documents at `"y",` here
    auto r = ciri::parse_yaml("a = [\n    \"x\",  # c\n    \"y\",\n", {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().line == 3);
}

TEST_CASE("yaml: limits on parameter count", "[yaml]") {
    ciri::ParseLimits few;
    few.max_params = 2;
    CHECK_FALSE(ciri::parse_yaml("a: 1\nb: 2\nc: 3\n", few).has_value());
    CHECK(ciri::parse_yaml("a: 1\nb: 2\n", few).has_value());
}

TEST_CASE("yaml: garbage never crashes", "[yaml]") {
    const char* inputs[] = {"\x01\x02\xff\xfe", "::::", "- - - -\n  - :", "{[}]", "a: *nope\n",
                            "? [a, b]\n: 1\n", "%YAML 9.9\n---\na: 1\n", "a: !!binary |\n  @@\n",
                            "\t a: 1", "'unterminated\n", "a: &x\n  <<: *x\n"};
    for (const char* in : inputs) {
        auto r = ciri::parse_yaml(in, {});
        if (r) CHECK(r->size() < 100);
        else CHECK_FALSE(r.error().message.empty());
    }
}
