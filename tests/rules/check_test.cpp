#include "ciri/rules/check.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ciri/rules/learn.hpp"
#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "tests/rules/rules_test_util.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;

namespace {

ConfigFile file_of(std::vector<Parameter> params, std::string format = "properties", std::string version = "") {
    ConfigFile f;
    f.format = std::move(format);
    f.version = std::move(version);
    int line = 1;
    for (auto& p : params) {
        if (p.line == 0) p.line = line;
        ++line;
    }
    f.params = std::move(params);
    return f;
}

std::vector<std::string> reported(const RulesVerdict& v) {
    std::vector<std::string> out;
    for (const auto& f : v.findings) out.push_back(f.param);
    return out;
}

SpecSet spec_from(const std::string& tsv) {
    auto s = parse_spec_tsv(tsv, "test.tsv");
    REQUIRE(s.has_value());
    return *s;
}

}  // namespace

TEST_CASE("rules flag what the name makes certain, and only that", "[rules]") {
    auto f = file_of({{"server.rpc.port", "80800"},
                      {"server.web.port", "8080"},
                      {"cache.enabled", "10"},
                      {"feature.enabled", "true"},
                      {"worker.threads", "9.9"},
                      {"worker.bind.host", "256.256.256.256"},
                      {"data.umask", "888"},
                      {"name", "whatever"}});
    auto v = check_file(f, SpecSet{});
    CHECK(reported(v) == std::vector<std::string>{"server.rpc.port", "cache.enabled", "worker.threads",
                                                  "worker.bind.host", "data.umask"});
    CHECK(v.findings[0].reason == "'80800' is out of the port range 0-65535");
    CHECK(v.findings[0].category == "Range");
    CHECK(v.findings[0].subcategory == "Port");
    CHECK(v.findings[2].category == "Syntax");
}

TEST_CASE("rules say nothing about a parameter without evidence", "[rules]") {
    auto f = file_of({{"alpha", "9.9"}, {"beta.gamma", "ciri/ciri"}, {"delta", "-100"}});
    auto v = check_file(f, SpecSet{});
    CHECK(v.findings.empty());
    CHECK(v.checked == 0);
}

TEST_CASE("flags named by a switching verb and Kubernetes quantities are not mistaken", "[rules]") {
    auto f = file_of({{"offload.pin_memory", "true"}, {"cache.use_memory", "false"}, {"limits.memory", "512Gi"},
                      {"requests.memory", "64Mi"}, {"buffer.size", "true"}},
                     "yaml");
    auto v = check_file(f, SpecSet{});
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].param == "buffer.size");  // a noun alone still makes a size
}

TEST_CASE("durations with a unit that is not one are reported with the valid units", "[rules]") {
    auto f = file_of({{"service.shutdown.timeout", "0mm"}, {"service.retry.interval", "30sec"}});
    auto v = check_file(f, SpecSet{});
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].param == "service.shutdown.timeout");
    CHECK(v.findings[0].reason ==
          "'0mm' is not a duration: 'mm' is not a unit; valid units are ns, us, ms, s, m, h, d");
}

TEST_CASE("spec rows check types, ranges, enums and special values", "[rules]") {
    auto spec = spec_from(
        "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "a.count\tint\t3\t1\t10\t-1\t\t\n"
        "a.mode\tenum\tFAST\t\t\tFAST,SLOW\t\t\n"
        "a.wait\tduration\t10\t1\t60\t\ts\t\n");
    auto ok = file_of({{"a.count", "-1"}, {"a.mode", "slow"}, {"a.wait", "1min"}});
    CHECK(check_file(ok, spec).findings.empty());
    auto bad = file_of({{"a.count", "11"}, {"a.mode", "MEDIUM"}, {"a.wait", "2min"}});
    auto v = check_file(bad, spec);
    REQUIRE(v.findings.size() == 3);
    CHECK(v.findings[0].reason == "'11' is above the maximum 10");
    CHECK(v.findings[0].confidence == 1.0);
    CHECK(v.findings[1].reason == "'MEDIUM' is not one of the accepted values: FAST, SLOW");
    CHECK(v.findings[2].reason == "'2min' is above the maximum 60");
}

TEST_CASE("cross-parameter constraints report every parameter they involve", "[rules]") {
    auto spec = spec_from(
        "train_batch_size\tint\t\t1\t\t\t\ttrain_batch_size % train_micro_batch_size_per_gpu == 0\n"
        "fp16.enabled\tbool\t\t\t\t\t\tfp16.enabled requires bf16.enabled=false\n"
        "low.mark\tsize\t\t\t\t\t\tlow.mark <= high.mark\n");
    auto ok = file_of({{"train_batch_size", "32"},
                       {"train_micro_batch_size_per_gpu", "4"},
                       {"fp16.enabled", "true"},
                       {"bf16.enabled", "false"},
                       {"low.mark", "1GB"},
                       {"high.mark", "2048MB"}});
    CHECK(check_file(ok, spec).findings.empty());
    auto bad = file_of({{"train_batch_size", "30"},
                        {"train_micro_batch_size_per_gpu", "4"},
                        {"fp16.enabled", "true"},
                        {"bf16.enabled", "true"},
                        {"low.mark", "3GB"},
                        {"high.mark", "2048MB"}});
    auto v = check_file(bad, spec);
    CHECK(reported(v) == std::vector<std::string>{"train_batch_size", "train_micro_batch_size_per_gpu",
                                                  "fp16.enabled", "bf16.enabled", "low.mark", "high.mark"});
    CHECK(v.findings[2].subcategory == "Control");
    CHECK(v.findings[2].reason == "'fp16.enabled' is true, which requires 'bf16.enabled' to be false (it is true)");
    CHECK(v.findings[4].category == "Dependency");
}

TEST_CASE("a minimum above its maximum is reported on both keys", "[rules]") {
    auto f = file_of({{"store.compaction.min.size", "134217728"},
                      {"store.compaction.max.size", "130000000"},
                      {"other.min.x", "1"},
                      {"other.max.x", "-1"}});
    auto v = check_file(f, SpecSet{});
    CHECK(reported(v) == std::vector<std::string>{"store.compaction.min.size", "store.compaction.max.size"});
}

TEST_CASE("version rows report parameters the file's version does not have", "[rules]") {
    auto spec = spec_from("old.knob\tint\t\t\t\t\t\tremoved_in 3.0\nnew.knob\tint\t\t\t\t\t\tadded_in 4.1\n");
    auto v = check_file(file_of({{"old.knob", "1"}, {"new.knob", "2"}}, "properties", "3.3.0"), spec);
    CHECK(reported(v) == std::vector<std::string>{"old.knob", "new.knob"});
    CHECK(v.findings[0].category == "Version");
    CHECK(check_file(file_of({{"old.knob", "1"}}, "properties", "2.9"), spec).findings.empty());
    CHECK(check_file(file_of({{"old.knob", "1"}}, "properties", ""), spec).findings.empty());
}

TEST_CASE("learned rows and their siblings give evidence; free text turns guesses off", "[rules]") {
    std::vector<ConfigFile> valid{file_of({{"svc.master.web.mode", "0700"},
                                           {"svc.master.queue", "7"},
                                           {"svc.master.queue", "9"},
                                           {"svc.scan.port", "auto"}})};
    auto spec = learn_spec(valid, "svc");
    REQUIRE(spec.find("svc.master.web.mode"));
    CHECK(spec.find("svc.master.web.mode")->rule.kind == ValueKind::permission);
    CHECK(spec.find("svc.master.queue")->rule.kind == ValueKind::integer);
    CHECK(spec.find("svc.scan.port")->rule.kind == ValueKind::string);
    auto f = file_of({{"svc.worker.web.mode", "hadoop"}, {"svc.master.queue", "7.5"}, {"svc.scan.port", "any"}});
    auto v = check_file(f, spec);
    CHECK(reported(v) == std::vector<std::string>{"svc.worker.web.mode", "svc.master.queue"});
    CHECK(v.findings[0].basis == "sibling");
    CHECK(v.findings[1].basis == "learned");
}

TEST_CASE("answers are in the LLM JSON format", "[rules]") {
    auto v = check_file(file_of({{"a.port", "-100"}}), SpecSet{});
    auto j = nlohmann::json::parse(v.answer_json());
    CHECK(j["hasError"] == true);
    CHECK(j["errParameter"] == nlohmann::json::array({"a.port"}));
    CHECK(j["reason"][0] == "'-100' is out of the port range 0-65535");
    auto none = nlohmann::json::parse(check_file(file_of({{"a.port", "80"}}), SpecSet{}).answer_json());
    CHECK(none["hasError"] == false);
    CHECK(none["errParameter"].empty());
}

TEST_CASE("decisive findings are those of full confidence, when asked for", "[rules]") {
    auto spec = spec_from("a\tint\t\t0\t5\t\t\t\n");
    auto v = check_file(file_of({{"a", "9"}, {"b.port", "x"}}), spec);
    REQUIRE(v.findings.size() == 2);
    CHECK(decisive_params(v, {}).empty());
    CHECK(decisive_params(v, {1.0, true, 1.0}) == std::vector<std::string>{"a"});
}

// The paper's parameter-level metric on the artifact's six systems, with spec tables
// learned only from each system's shot pool ValidConfig files.
TEST_CASE("rules alone reach parameter-level precision 0.95 on the artifact", "[rules][artifact]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    const bool debug = std::getenv("CIRI_RULES_DEBUG") != nullptr;
    long tp_all = 0, fp_all = 0, fn_all = 0;
    std::ostringstream table;
    table << "system       TP   FP   FN  precision  recall  F1     file-P  file-R\n";
    for (std::string system : {"alluxio", "django", "hbase", "hcommon", "hdfs", "postgresql"}) {
        auto [spec, root, truth, options] = ciri::test::artifact_system(*shared, system);
        long tp = 0, fp = 0, fn = 0, ftp = 0, ffp = 0, ffn = 0;
        for (std::string kind : {"erroneous", "correct"}) {
            for (size_t n = 1; n <= truth.size(); ++n) {
                auto file = load_config((root / system / kind / std::to_string(n)).string(), options);
                REQUIRE(file.has_value());
                auto verdict = check_file(*file, spec);
                std::set<std::string> want = kind == "erroneous" ? truth[n - 1] : std::set<std::string>{};
                for (const auto& f : verdict.findings) {
                    bool hit = want.count(f.param) > 0;
                    (hit ? tp : fp)++;
                    if (debug)
                        std::cerr << (hit ? "TP " : "FP ") << system << "/" << kind << "/" << n << " " << f.param
                                  << " [" << f.basis << " " << f.confidence << "] " << f.reason << "\n";
                }
                for (const auto& w : want) {
                    bool found = false;
                    for (const auto& f : verdict.findings) found = found || f.param == w;
                    if (!found) {
                        ++fn;
                        if (debug) std::cerr << "FN " << system << "/" << n << " " << w << "\n";
                    }
                }
                if (verdict.has_error()) (kind == "erroneous" ? ftp : ffp)++;
                else if (kind == "erroneous") ++ffn;
            }
        }
        auto ratio = [](double a, double b) { return b == 0 ? 0.0 : a / b; };
        double p = ratio(tp, tp + fp), r = ratio(tp, tp + fn), f1 = ratio(2 * p * r, p + r);
        char row[160];
        std::snprintf(row, sizeof row, "%-11s %4ld %4ld %4ld  %.3f      %.3f   %.3f  %.3f   %.3f\n", system.c_str(), tp,
                      fp, fn, p, r, f1, ratio(ftp, ftp + ffp), ratio(ftp, ftp + ffn));
        table << row;
        tp_all += tp, fp_all += fp, fn_all += fn;
    }
    double precision = double(tp_all) / double(tp_all + fp_all);
    table << "all         " << tp_all << " TP, " << fp_all << " FP, " << fn_all << " FN: precision " << precision
          << "\n";
    std::cout << table.str();
    CHECK(tp_all >= 50);
    CHECK(precision >= 0.95);
}

TEST_CASE("min/max pairs are found through every spelling, in file order, with repeats bounded", "[rules]") {
    auto f = file_of({{"pool.MaxSize", "10"},
                      {"pool.MinSize", "20"},
                      {"cache.lower_bound", "9"},
                      {"cache.upper_bound", "3"},
                      {"x.minimum.y", "5"},
                      {"x.maximum.y", "4"},
                      {"min.min", "7"},
                      {"max.min", "1"}});
    auto v = check_file(f, SpecSet{});
    CHECK(reported(v) == std::vector<std::string>{"pool.MaxSize", "pool.MinSize", "cache.lower_bound", "cache.upper_bound",
                                                  "x.minimum.y", "x.maximum.y", "min.min", "max.min"});
    // A file of many repeats of one pair still reports it, without pairing every repeat.
    std::vector<Parameter> many;
    for (int i = 0; i < 20000; ++i) {
        many.push_back({"a.min", "9"});
        many.push_back({"a.max", "1"});
    }
    CHECK(reported(check_file(file_of(many), SpecSet{})) == std::vector<std::string>{"a.min", "a.max"});
}

TEST_CASE("a description naming another parameter finds the last one of that key", "[rules]") {
    Parameter a{"fs.trash.checkpoint.interval", "120", 0, "Should be smaller or equal to fs.trash.interval."};
    auto v = check_file(file_of({{"fs.trash.interval", "100"}, {"FS.Trash.Interval", "60"}, a}), SpecSet{});
    REQUIRE(reported(v) == std::vector<std::string>{"FS.Trash.Interval", "fs.trash.checkpoint.interval"});
    CHECK(v.findings[0].reason.find("(60)") != std::string::npos);
}

TEST_CASE("a 50,000-character value gets a verdict from the rules", "[rules][probe]") {
    auto v = check_file(file_of({{"server.port", std::string(50000, '9')}, {"db.password", std::string(50000, 'x')},
                                 {"timeout.ms", std::string(50000, '1') + "ms"}}),
                        SpecSet{});
    CHECK(v.checked > 0);
}
