// `ciri code index`: the cache it writes and what it prints.
#include <catch2/catch.hpp>

#include "prompts/code_index.hpp"
#include "tests/cli/cli_run.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri::test;
namespace fs = std::filesystem;

TEST_CASE("code index: writes the cache and reports files/s", "[cli][code]") {
    TempDir dir("code-index");
    fs::path tree = fs::path(CIRI_SOURCE_DIR) / "tests/fixtures/code";
    auto r = run_ciri({"code", "index", tree.string(), "--out", (dir.path / "idx.json").string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("indexed " + tree.string() + ": 9 source files, ") != std::string::npos);
    CHECK(r.out.find(" files/s)") != std::string::npos);
    CHECK(r.out.find("wrote " + (dir.path / "idx.json").string()) != std::string::npos);
    auto idx = ciri::read_code_index(dir.path / "idx.json");
    REQUIRE(idx);
    CHECK(idx->root == tree.string());
    CHECK(idx->find("dfs.replication").size() == 1);

    auto missing = run_ciri({"code", "index", (dir.path / "nope").string(), "--out", (dir.path / "x.json").string()});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("not a directory") != std::string::npos);
    CHECK(!fs::exists(dir.path / "x.json"));
}
