#include "ciri/rules/facts.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "ciri/rules/spec.hpp"

using namespace ciri;

TEST_CASE("context facts: numbers, derived world size, errors that say what to do", "[rules][facts]") {
    auto f = resolve_facts({{"nodes", "4"}, {"gpus_per_node", "8"}}, default_spec_dir());
    REQUIRE(f);
    CHECK(f->get("world_size") == "32");
    CHECK(!f->get("gpu"));
    auto clash = resolve_facts({{"nodes", "4"}, {"gpus_per_node", "8"}, {"world_size", "16"}}, default_spec_dir());
    REQUIRE(!clash);
    CHECK(clash.error().message == "context world_size=16 disagrees with nodes x gpus_per_node = 32");
    auto unknown = resolve_facts({{"gpus", "8"}}, default_spec_dir());
    REQUIRE(!unknown);
    CHECK(unknown.error().message.starts_with("unknown context key 'gpus' (known: world_size, nodes"));
    CHECK(!resolve_facts({{"world_size", "0"}}, default_spec_dir()));
    CHECK(!resolve_facts({{"world_size", "8.5"}}, default_spec_dir()));
}

TEST_CASE("context facts: GPUs and models from the shipped tables", "[rules][facts]") {
    auto f = resolve_facts({{"gpu", "h100-sxm"}, {"model", "meta-llama/Llama-3.1-8B-Instruct"}}, default_spec_dir());
    REQUIRE(f);
    CHECK(f->get("gpu") == "H100-SXM5-80GB");
    CHECK(f->get("gpu.memory_gb") == "80");
    CHECK(f->get("gpu.bf16") == "1");
    CHECK(f->get("gpu.fp8") == "1");
    CHECK(f->get("model.num_layers") == "32");
    CHECK(f->get("model.num_kv_heads") == "8");
    CHECK(f->get("model.max_position_embeddings") == "131072");
    auto v100 = resolve_facts({{"gpu", "V100"}}, default_spec_dir());
    REQUIRE(v100);
    CHECK(v100->get("gpu.bf16") == "0");
    CHECK(v100->describe() == std::vector<std::string>{
                                  "gpu=V100-SXM2-32GB (32 GB, compute capability 7.0, no bf16, no fp8)"});
    auto bad = resolve_facts({{"gpu", "GTX 9999"}}, default_spec_dir());
    REQUIRE(!bad);
    CHECK(bad.error().message.find("unknown GPU 'GTX 9999'") == 0);
    CHECK(!resolve_facts({{"model", "nobody/none"}}, default_spec_dir()));
}

TEST_CASE("context facts: a model given as a local config.json", "[rules][facts]") {
    auto dir = std::filesystem::temp_directory_path() / "ciri-facts-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.json") << R"({"num_hidden_layers": 12, "num_attention_heads": 12, "hidden_size": 768,
        "vocab_size": 50257, "max_position_embeddings": 1024})";
    auto f = resolve_facts({{"model", dir.string()}}, default_spec_dir());
    REQUIRE(f);
    CHECK(f->get("model.num_layers") == "12");
    // No num_key_value_heads: one KV head per attention head.
    CHECK(f->get("model.num_kv_heads") == "12");
    std::ofstream(dir / "config.json") << "[1, 2]";
    CHECK(!resolve_facts({{"model", (dir / "config.json").string()}}, default_spec_dir()));
    std::filesystem::remove_all(dir);
}

TEST_CASE("context arguments are KEY=VALUE", "[rules][facts]") {
    std::map<std::string, std::string> m;
    CHECK(add_context_arg("world_size=16", m));
    CHECK(add_context_arg(" gpu = A100 ", m));
    CHECK(m == std::map<std::string, std::string>{{"world_size", "16"}, {"gpu", "A100"}});
    CHECK(!add_context_arg("world_size", m));
    CHECK(!add_context_arg("=3", m));
    CHECK(!add_context_arg("nodes=", m));
    CHECK(context_key_of("model.num_layers") == "model");
    CHECK(context_key_of("world_size") == "world_size");
}
