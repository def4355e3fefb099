#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

#include "ciri/rules/check.hpp"
#include "eval/dataset.hpp"
#include "eval/metrics.hpp"
#include "eval/prediction.hpp"
#include "parsers/load.hpp"
#include "tests/cli/cli_run.hpp"
#include "tests/support/svc_sample.hpp"
#include "tests/support/temp_files.hpp"

using ciri::test::read_file;
using ciri::test::run_ciri;
using ciri::test::write_file;
namespace fs = std::filesystem;

namespace {

using ciri::test::kSvcConfig;

const char* kSpec =
    "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
    "svc.codec\tenum\tFAST\t\t\tFAST,SLOW\t\t\n"
    "svc.worker.threads\tint\t8\t1\t256\t\t\t\n"
    "svc.tls.enabled\tbool\t\t\t\t\t\tsvc.tls.enabled requires svc.tls.verify=true\n"
    "svc.legacy.mode\tbool\tfalse\t\t\t\t\tremoved_in 2.0\n";

struct Injected {
    fs::path dir;
    ciri::test::CliResult result;
};

Injected run_inject(const std::string& name, std::vector<std::string> extra = {}) {
    auto dir = ciri::test::fresh_temp_dir("cmd-inject-" + name);
    write_file(dir / "in" / "svc.properties", kSvcConfig);
    write_file(dir / "svc.tsv", kSpec);
    std::vector<std::string> args = {"inject",        (dir / "in" / "svc.properties").string(),
                                     "--system",      "svc",
                                     "--input-format", "properties",
                                     "--sys-version", "2.1",
                                     "--spec",        (dir / "svc.tsv").string(),
                                     "--out",         (dir / "out").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return {dir, run_ciri(args)};
}

}  // namespace

TEST_CASE("inject writes variants, the valid twin and a manifest in the evaluation layout", "[cli][inject]") {
    auto [dir, r] = run_inject("layout");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("16 files (15 misconfigured)") != std::string::npos);
    std::ifstream manifest(dir / "out" / "manifest.jsonl");
    std::set<std::string> categories;
    int lines = 0, valid = 0;
    for (std::string line; std::getline(manifest, line); ++lines) {
        auto j = nlohmann::json::parse(line);
        for (const char* k : {"id", "path", "system", "version", "label", "params", "category", "subcategory"})
            CHECK(j.contains(k));
        CHECK(j["system"] == "svc");
        CHECK(j["version"] == "2.1");
        CHECK(fs::path(j["path"].get<std::string>()).filename() == "svc.properties");
        CHECK(fs::is_regular_file(dir / "out" / j["path"].get<std::string>()));
        if (j["label"] == "valid") {
            ++valid;
            CHECK(j["params"].empty());
            CHECK(read_file(dir / "out" / j["path"].get<std::string>()) == kSvcConfig);
        } else {
            CHECK(j["label"] == "misconfigured");
            CHECK(!j["params"].empty());
            categories.insert(j["category"].get<std::string>() + "/" + j["subcategory"].get<std::string>());
        }
    }
    CHECK(lines == 16);
    CHECK(valid == 1);
    CHECK(categories.size() == 15);
    fs::remove_all(dir);
}

// The injected dataset, read by the evaluation's own reader and scored by its metrics with the
// rules voter alone, is scored correctly: every injected parameter found, nothing else reported.
TEST_CASE("inject output scored with the rules alone: precision and recall 1", "[cli][inject]") {
    auto [dir, r] = run_inject("score", {"--per-rule", "3", "--seed", "5"});
    REQUIRE(r.code == 0);
    auto dataset = ciri::read_dataset(dir / "out");
    INFO((dataset ? "" : dataset.error().format()));
    REQUIRE(dataset.has_value());
    CHECK(dataset->layout == ciri::DatasetLayout::manifest);
    auto spec = ciri::load_spec_set("svc", {dir / "svc.tsv"});
    REQUIRE(spec.has_value());
    std::vector<ciri::Prediction> predictions;
    for (const auto& item : dataset->items) {
        ciri::LoadOptions o;
        o.format = "properties";
        o.system = item.system;
        o.version = item.version;
        auto path = item.path.is_absolute() ? item.path : dir / "out" / item.path;
        auto file = ciri::load_config(path.string(), o);
        REQUIRE(file.has_value());
        auto verdict = ciri::check_file(*file, *spec);
        auto p = ciri::prediction_for(item);
        p.verdict = verdict.has_error() ? ciri::VerdictStatus::misconfigured : ciri::VerdictStatus::valid;
        for (const auto& f : verdict.findings) p.reported.push_back(f.param);
        p.file_params = static_cast<int>(file->params.size());
        predictions.push_back(std::move(p));
    }
    auto scores = ciri::score(predictions);
    const auto& svc = scores.systems.at("svc");
    CHECK(svc.param.counts.tp > 15);
    CHECK(svc.param.counts.fp == 0);
    CHECK(svc.param.counts.fn == 0);
    CHECK(svc.file.counts.fp == 0);
    CHECK(svc.param.rates.precision == 1.0);
    CHECK(svc.param.rates.recall == 1.0);
    fs::remove_all(dir);
}

TEST_CASE("inject is reproducible and fails clearly on bad input", "[cli][inject]") {
    auto a = run_inject("seed_a", {"--seed", "9"});
    auto b = run_inject("seed_b", {"--seed", "9"});
    REQUIRE(a.result.code == 0);
    REQUIRE(b.result.code == 0);
    CHECK(read_file(a.dir / "out" / "manifest.jsonl") == read_file(b.dir / "out" / "manifest.jsonl"));
    auto missing = run_ciri({"inject", (a.dir / "nope.properties").string(), "--out", (a.dir / "x").string()});
    CHECK(missing.code == 2);
    auto bad_spec = run_ciri({"inject", (a.dir / "in" / "svc.properties").string(), "--system", "svc", "--spec",
                              (a.dir / "missing.tsv").string(), "--out", (a.dir / "x").string()});
    CHECK(bad_spec.code == 2);
    CHECK(bad_spec.err.find("spec table not found") != std::string::npos);
    fs::remove_all(a.dir);
    fs::remove_all(b.dir);
}

// The same, end to end through the command line: `ciri inject` then `ciri eval --model rules`.
TEST_CASE("ciri eval with the rules alone scores ciri inject's output correctly", "[cli][inject][eval]") {
    auto [dir, r] = run_inject("eval", {"--per-rule", "2", "--seed", "7"});
    REQUIRE(r.code == 0);
    auto e = run_ciri({"eval", "--dataset", (dir / "out").string(), "--model", "rules", "--spec",
                       (dir / "svc.tsv").string(), "--out", (dir / "eval").string(), "--no-progress"});
    INFO(e.err);
    REQUIRE(e.code == 0);
    auto results = nlohmann::json::parse(read_file(dir / "eval" / "results.json"));
    for (const char* level : {"file", "param"}) {
        INFO(level);
        CHECK(results["macro"][level]["precision"].get<double>() == Approx(1.0));
        CHECK(results["macro"][level]["recall"].get<double>() == Approx(1.0));
    }
    fs::remove_all(dir);
}
