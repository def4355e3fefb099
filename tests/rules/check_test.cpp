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

namespace {

SpecSet spec_of(const std::string& rows) {
    auto s = parse_spec_tsv("name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n" + rows, "t.tsv");
    REQUIRE(s);
    return *s;
}

// A shipped configuration file, parsed as ciri would read it.
ConfigFile shipped(const std::string& text, const std::string& name, const std::string& system) {
    LoadOptions o;
    o.system = system;
    auto f = load_config_bytes(name, text, o);
    REQUIRE(f);
    return *f;
}

}  // namespace

TEST_CASE("integral floats are integers where the format has typed numbers", "[rules]") {
    auto spec = spec_of("reduce_bucket_size\tint\t\t1\t\t\t\t\n");
    // DeepSpeed reads JSON numbers: 5e8 and 500000000.0 are the integer 500000000.
    for (std::string v : {"5e8", "500000000.0", "500000000"})
        CHECK(check_file(file_of({{"reduce_bucket_size", v}}, "json"), spec).findings.empty());
    CHECK(check_file(file_of({{"reduce_bucket_size", "5e8"}}, "yaml"), spec).findings.empty());
    CHECK(reported(check_file(file_of({{"reduce_bucket_size", "2.5"}}, "json"), spec)) ==
          std::vector<std::string>{"reduce_bucket_size"});
    // An argument parser's int() takes no decimal point.
    CHECK(reported(check_file(file_of({{"reduce_bucket_size", "8.0"}}, "args"), spec)) ==
          std::vector<std::string>{"reduce_bucket_size"});
}

TEST_CASE("names decide by whole words, never a word inside a longer word", "[rules]") {
    SpecSet none;
    // sbatch --account=proj-ml: "account" ends in "count" but is not a count.
    CHECK(check_file(file_of({{"account", "proj-ml"}}, "sbatch"), none).findings.empty());
    CHECK(check_file(file_of({{"discount", "ten"}, {"transport", "tcp"}, {"report", "weekly"}}), none).findings.empty());
    CHECK(check_file(file_of({{"redir", "on"}, {"timeoutpolicy", "abort"}, {"filesize", "big!"}}), none).findings.empty());
    // The whole word still decides.
    CHECK(reported(check_file(file_of({{"worker.count", "true"}}), none)) == std::vector<std::string>{"worker.count"});
    CHECK(reported(check_file(file_of({{"server.port", "70000"}}), none)) == std::vector<std::string>{"server.port"});
}

TEST_CASE("conditions, conflicts and flags in constraints", "[rules]") {
    auto spec = spec_of(
        "stage\tint\t0\t0\t3\t\t\tstage <= 1 if pipeline.*\n"
        "layers\tint\t\t1\t\t\t\tlayers % pp == 0 unless first,last\n"
        "pp\tint\t1\t1\t\t\t\t\n"
        "fp16\tbool\t\t\t\t\t\tfp16 requires bf16=false\n"
        "bf16\tbool\t\t\t\t\t\t\n"
        "mem\tsize\t\t\t\t\tMB\tmem conflicts mem-per-cpu\n"
        "mem-per-cpu\tsize\t\t\t\t\tMB\t\n");
    CHECK(check_file(file_of({{"stage", "2"}}, "json"), spec).findings.empty());
    CHECK(reported(check_file(file_of({{"stage", "2"}, {"pipeline.stages", "auto"}}, "json"), spec)) ==
          std::vector<std::string>{"stage"});
    CHECK(reported(check_file(file_of({{"layers", "30"}, {"pp", "4"}}, "args"), spec)) ==
          std::vector<std::string>{"layers", "pp"});
    // Megatron's uneven pipeline split: the even-split rule does not apply.
    CHECK(check_file(file_of({{"layers", "30"}, {"pp", "4"}, {"last", "6"}}, "args"), spec).findings.empty());
    // Bare flags are set: --fp16 --bf16 together break the requirement.
    CHECK(reported(check_file(file_of({{"fp16", ""}, {"bf16", ""}}, "args"), spec)) ==
          std::vector<std::string>{"fp16", "bf16"});
    CHECK(check_file(file_of({{"fp16", ""}}, "args"), spec).findings.empty());
    CHECK(reported(check_file(file_of({{"mem", "0"}, {"mem-per-cpu", "4G"}}, "sbatch"), spec)) ==
          std::vector<std::string>{"mem", "mem-per-cpu"});
    CHECK(check_file(file_of({{"mem-per-cpu", "4G"}}, "sbatch"), spec).findings.empty());
}

TEST_CASE("conditions on numbers and on the file's version", "[rules]") {
    auto spec = spec_of(
        "tokens\tint\t\t1\t\t\t\ttokens >= len unless chunked if version < 0.8 unless len > 32768\n"
        "len\tint\t\t1\t\t\t\t\n"
        "chunked\tbool\t\t\t\t\t\t\n");
    auto f = [](std::string len, std::string version, bool chunked) {
        std::vector<Parameter> ps = {{"tokens", "8192"}, {"len", len}};
        if (chunked) ps.push_back({"chunked", ""});
        return file_of(ps, "args", version);
    };
    CHECK(reported(check_file(f("16384", "0.6.4", false), spec)) == std::vector<std::string>{"tokens", "len"});
    CHECK(check_file(f("16384", "0.6.4", true), spec).findings.empty());
    CHECK(check_file(f("65536", "0.6.4", false), spec).findings.empty());  // chunked prefill turns itself on
    CHECK(check_file(f("16384", "0.8.1", false), spec).findings.empty());
    CHECK(check_file(f("16384", "", false), spec).findings.empty());  // version unknown: not guessed
}

TEST_CASE("`*.` constraints hold per object, with keys that have slashes", "[rules]") {
    auto spec = spec_of(
        "*.limits.nvidia.com/gpu\tint\t\t0\t\t\t\t\n"
        "*.requests.nvidia.com/gpu\tint\t\t0\t\t\t\t`*.requests.nvidia.com/gpu` == `*.limits.nvidia.com/gpu`; "
        "*.requests.nvidia.com/gpu requires *.limits.nvidia.com/gpu\n");
    auto ok = file_of({{"c[0].limits.nvidia.com/gpu", "8"}, {"c[0].requests.nvidia.com/gpu", "8"},
                       {"c[1].limits.nvidia.com/gpu", "2"}, {"c[1].requests.nvidia.com/gpu", "2"}},
                      "yaml");
    CHECK(check_file(ok, spec).findings.empty());
    auto bad = file_of({{"c[0].limits.nvidia.com/gpu", "8"}, {"c[0].requests.nvidia.com/gpu", "8"},
                        {"c[1].limits.nvidia.com/gpu", "2"}, {"c[1].requests.nvidia.com/gpu", "4"}},
                       "yaml");
    CHECK(reported(check_file(bad, spec)) ==
          std::vector<std::string>{"c[1].limits.nvidia.com/gpu", "c[1].requests.nvidia.com/gpu"});
    auto no_limit = file_of({{"c[0].requests.nvidia.com/gpu", "1"}}, "yaml");
    CHECK(reported(check_file(no_limit, spec)) == std::vector<std::string>{"c[0].requests.nvidia.com/gpu"});
    CHECK(reported(check_file(file_of({{"c[0].limits.nvidia.com/gpu", "0.5"}}, "yaml"), spec)) ==
          std::vector<std::string>{"c[0].limits.nvidia.com/gpu"});
}

TEST_CASE("a key one slip from a row of a closed table is a misspelling", "[rules]") {
    auto spec = spec_of(
        "*\tbool\t\t\t\t\t\ttypos\n"
        "gradient_accumulation_steps\tint\t\t1\t\t\t\t\n"
        "zero_optimization.stage2_x\tint\t\t\t\t\t\t\n"
        "fp16.enabled\tbool\t\t\t\t\t\t\n");
    auto v = check_file(file_of({{"gradient_acumulation_steps", "4"}}, "json"), spec);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].reason.find("did you mean 'gradient_accumulation_steps'") != std::string::npos);
    // A digit apart is another real setting; two slips apart is another word.
    CHECK(check_file(file_of({{"zero_optimization.stage3_x", "1"}, {"bf16.enabled", "true"}}, "json"), spec)
              .findings.empty());
    // Without `typos` unknown keys are nobody's business.
    auto open = spec_of("gradient_accumulation_steps\tint\t\t1\t\t\t\t\n");
    CHECK(check_file(file_of({{"gradient_acumulation_steps", "4"}}, "json"), open).findings.empty());
}

TEST_CASE("a YAML or JSON null leaves a required setting unset", "[rules]") {
    auto spec = spec_of(
        "machines\tint\t1\t1\t\t\t\tmachines requires ip if machines > 1\n"
        "ip\thost\t\t\t\t\t\t\n");
    CHECK(reported(check_file(file_of({{"machines", "2"}, {"ip", "null"}}, "yaml"), spec)) ==
          std::vector<std::string>{"machines", "ip"});
    CHECK(reported(check_file(file_of({{"machines", "2"}, {"ip", "~"}}, "yaml"), spec)) ==
          std::vector<std::string>{"machines", "ip"});
    CHECK(reported(check_file(file_of({{"machines", "2"}}, "yaml"), spec)) == std::vector<std::string>{"machines"});
    CHECK(check_file(file_of({{"machines", "2"}, {"ip", "10.0.0.1"}}, "yaml"), spec).findings.empty());
    CHECK(check_file(file_of({{"machines", "1"}, {"ip", "null"}}, "yaml"), spec).findings.empty());
}

TEST_CASE("a list setting has a value when one of its items is it", "[rules]") {
    auto spec = spec_of(
        "flags\tstring[]\t\t\t\t\t\tflags=Contain requires track=cgroup\n"
        "track\tenum\tcgroup\t\t\tcgroup,linuxproc\t\t\n"
        "mode\tstring\t\t\t\t\t\tmode=Contain requires track=cgroup\n");
    CHECK(reported(check_file(file_of({{"flags", "Contain,X11"}, {"track", "linuxproc"}}, "conf"), spec)) ==
          std::vector<std::string>{"flags", "track"});
    CHECK(check_file(file_of({{"flags", "Contain,X11"}, {"track", "cgroup"}}, "conf"), spec).findings.empty());
    CHECK(check_file(file_of({{"flags", "Contain,X11"}}, "conf"), spec).findings.empty());  // the default
    CHECK(check_file(file_of({{"flags", "X11"}, {"track", "linuxproc"}}, "conf"), spec).findings.empty());
    // A setting that is no list is compared whole.
    CHECK(check_file(file_of({{"mode", "Contain,X11"}, {"track", "linuxproc"}}, "conf"), spec).findings.empty());
    // A list written with spaces has each word as an item.
    CHECK(reported(check_file(file_of({{"flags", "X11 Contain"}, {"track", "linuxproc"}}, "conf"), spec)) ==
          std::vector<std::string>{"flags", "track"});
    CHECK(check_file(file_of({{"flags", "X11 NoHold"}, {"track", "linuxproc"}}, "conf"), spec).findings.empty());
}

TEST_CASE("one value of a setting can be added or removed in a version", "[rules]") {
    auto spec = spec_of(
        "params\tstring[]\t\t\t\t\t\tNoAddrCache removed_in 23.11\n"
        "level\tenum\t\t\t\tNVL,SYS,0,1,2\t\tNVL added_in 2.6\n");
    auto f = [](std::string key, std::string value, std::string version) {
        return file_of({{key, value}}, "conf", version);
    };
    auto removed = check_file(f("params", "NoAddrCache,block_null_hash", "23.11"), spec);
    CHECK(reported(removed) == std::vector<std::string>{"params"});
    REQUIRE(!removed.findings.empty());
    CHECK(removed.findings[0].reason.find("no longer takes the value NoAddrCache") != std::string::npos);
    CHECK(check_file(f("params", "NoAddrCache", "23.02"), spec).findings.empty());
    CHECK(check_file(f("params", "block_null_hash", "24.05"), spec).findings.empty());
    CHECK(check_file(f("params", "NoAddrCache", ""), spec).findings.empty());  // version unknown: not guessed
    CHECK(reported(check_file(f("level", "NVL", "2.5.6"), spec)) == std::vector<std::string>{"level"});
    CHECK(check_file(f("level", "NVL", "2.18"), spec).findings.empty());
    CHECK(check_file(f("level", "1", "2.5.6"), spec).findings.empty());
}

TEST_CASE("a value that must name a key of a section", "[rules]") {
    auto spec = spec_of("head\tstring\t\t\t\t\t\thead key_of types\n");
    auto with = [](std::string head) {
        return file_of({{"types.cpu_head.node_config.InstanceType", "m5.large"},
                        {"types.gpu_worker.resources.GPU", "8"},
                        {"types.gpu_worker.max_workers", "4"},
                        {"head", head}},
                       "yaml");
    };
    auto bad = check_file(with("ray.head.default"), spec);
    CHECK(reported(bad) == std::vector<std::string>{"head"});
    REQUIRE(!bad.findings.empty());
    CHECK(bad.findings[0].reason.find("it has cpu_head, gpu_worker") != std::string::npos);
    CHECK(check_file(with("cpu_head"), spec).findings.empty());
    // Without the section there is nothing to name.
    CHECK(check_file(file_of({{"head", "cpu_head"}}, "yaml"), spec).findings.empty());
}

TEST_CASE("a closed table's setting given a value for a section, or nested where it is not read", "[rules]") {
    auto spec = spec_of(
        "*\tbool\t\t\t\t\t\ttypos\n"
        "zero.stage\tint\t\t0\t3\t\t\t\n"
        "zero.offload.device\tenum\t\t\t\tcpu,nvme,none\t\t\n"
        "zero.offload.pin_memory\tbool\t\t\t\t\t\t\n"
        "aio.block_size\tint\t\t1\t\t\t\t\n");
    auto section = check_file(file_of({{"zero.offload", "true"}}, "json"), spec);
    CHECK(reported(section) == std::vector<std::string>{"zero.offload"});
    REQUIRE(!section.findings.empty());
    CHECK(section.findings[0].reason.find("is a section of") != std::string::npos);
    CHECK(section.findings[0].category == "Syntax");
    auto nested = check_file(file_of({{"zero.aio.block_size", "1048576"}}, "json"), spec);
    CHECK(reported(nested) == std::vector<std::string>{"zero.aio.block_size"});
    REQUIRE(!nested.findings.empty());
    CHECK(nested.findings[0].reason.find("'aio.block_size' is") != std::string::npos);
    CHECK(check_file(file_of({{"zero.offload.device", "cpu"}, {"aio.block_size", "1048576"}}, "json"), spec)
              .findings.empty());
    CHECK(check_file(file_of({{"zero.offload", "{}"}}, "json"), spec).findings.empty());
    // A one-level name ending a key is no evidence: `x.stage` is not `zero.stage`.
    CHECK(check_file(file_of({{"pipeline.block_size", "4"}}, "json"), spec).findings.empty());
    // Without `typos` the table does not claim to list every key.
    auto open = spec_of("aio.block_size\tint\t\t1\t\t\t\t\n");
    CHECK(check_file(file_of({{"zero.aio.block_size", "1048576"}}, "json"), open).findings.empty());
}

TEST_CASE("facts drive constraints, and a missing fact skips them with a note", "[rules]") {
    auto spec = spec_of(
        "train_batch_size\tint\t\t1\t\t\t\ttrain_batch_size == micro * context.world_size\n"
        "micro\tint\t\t1\t\t\t\t\n"
        "bf16\tbool\t\t\t\t\t\tbf16 requires context.gpu.bf16=1\n");
    auto f = file_of({{"train_batch_size", "64"}, {"micro", "4"}, {"bf16", "true"}}, "json");
    auto none = check_file(f, spec);
    CHECK(none.findings.empty());
    REQUIRE(none.notes.size() == 2);
    CHECK(none.notes[0].find("needs the fact 'world_size' (give --context world_size=...)") != std::string::npos);
    CHECK(none.notes[1].find("'gpu.bf16' (give --context gpu=...)") != std::string::npos);
    Facts facts;
    facts.values = {{"world_size", "8"}, {"gpu.bf16", "0"}};
    RulesOptions o;
    o.facts = &facts;
    auto v = check_file(f, spec, o);
    CHECK(reported(v) == std::vector<std::string>{"train_batch_size", "micro", "bf16"});
    CHECK(v.notes.empty());
    facts.values = {{"world_size", "16"}, {"gpu.bf16", "1"}};
    CHECK(check_file(f, spec, o).findings.empty());
}

TEST_CASE("shipped GPU tables accept real, valid configurations", "[rules][gpu]") {
    // Each is a configuration these systems run as written (every rule of their tables is
    // exercised by some file of the case set's fixed twins too; see the case-set test).
    struct Case {
        const char* name;
        const char* system;
        const char* text;
    };
    const Case cases[] = {
        {"ds_config.json", "deepspeed",
         R"({"train_batch_size": 64, "train_micro_batch_size_per_gpu": 2, "gradient_accumulation_steps": 4,
             "zero_optimization": {"stage": 2, "reduce_bucket_size": 500000000.0, "allgather_bucket_size": 5e8},
             "bf16": {"enabled": true}})"},
        {"train.sbatch", "sbatch",
         "#!/bin/bash\n#SBATCH --account=proj-ml\n#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=1\n"
         "#SBATCH --gpus-per-node=8\n#SBATCH --mem=0\nsrun torchrun --nnodes 2 --nproc_per_node 8 \\\n"
         "  --standalone train.py\n"},
        {"megatron.args", "megatron",
         "--num-layers 30 --pipeline-model-parallel-size 4 --decoder-first-pipeline-num-layers 6 "
         "--decoder-last-pipeline-num-layers 6 --tensor-model-parallel-size 2 --hidden-size 4096 "
         "--num-attention-heads 32 --bf16 --micro-batch-size 1 --global-batch-size 256\n"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto spec = load_spec_set(c.system);
        REQUIRE(spec);
        auto f = shipped(c.text, c.name, c.system);
        auto v = check_file(f, *spec);
        for (const auto& x : v.findings) UNSCOPED_INFO(x.param << ": " << x.reason);
        CHECK(v.findings.empty());
    }
}

TEST_CASE("enumerations are case-sensitive where the system compares exactly", "[rules]") {
    auto loose = spec_of("norm\tenum\t\t\t\tLayerNorm,RMSNorm\t\t\n");
    CHECK(check_file(file_of({{"norm", "rmsnorm"}}, "args"), loose).findings.empty());
    auto exact = spec_of("*\tbool\t\t\t\t\t\tcase_sensitive\nnorm\tenum\t\t\t\tLayerNorm,RMSNorm\t\t\n");
    CHECK(exact.case_sensitive);
    auto v = check_file(file_of({{"norm", "rmsnorm"}}, "args"), exact);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].reason.find("did you mean 'RMSNorm'?") != std::string::npos);
    CHECK(check_file(file_of({{"norm", "RMSNorm"}}, "args"), exact).findings.empty());
    // The flag survives a round trip through TSV.
    auto again = parse_spec_tsv(write_spec_tsv(exact), "again");
    REQUIRE(again);
    CHECK(again->case_sensitive);
}

TEST_CASE("an empty value of a typed parameter is a finding only where the system refuses it", "[rules][empty]") {
    const std::string rows =
        "a.count\tint\t3\t\t\t\t\t\n"
        "a.flag\tbool\ton\t\t\t\t\t\n"
        "a.mode\tenum\tfast\t\t\tfast,slow\t\t\n"
        "a.mem\tsize\t4MB\t\t\t\tkB\t\n"
        "a.path\tstring\t\t\t\t\t\t\n";
    auto file = file_of({{"a.count", "''"}, {"a.flag", ""}, {"a.mode", "\"\""}, {"a.mem", " "}, {"a.path", "''"}}, "conf");
    // Hadoop reads an empty value as unset: without `empty_refused` nothing is judged.
    CHECK(check_file(file, spec_from(rows)).findings.empty());
    auto refused = check_file(file, spec_from("*\tbool\t\t\t\t\t\tempty_refused\n" + rows));
    CHECK(reported(refused) == std::vector<std::string>{"a.count", "a.flag", "a.mode", "a.mem"});
    REQUIRE(!refused.findings.empty());
    CHECK(refused.findings[0].reason.find("is empty") != std::string::npos);
    CHECK(refused.findings[0].confidence == 1.0);
    // Set values are judged as before.
    auto set = file_of({{"a.count", "4"}, {"a.flag", "off"}, {"a.mode", "slow"}, {"a.mem", "8MB"}}, "conf");
    CHECK(check_file(set, spec_from("*\tbool\t\t\t\t\t\tempty_refused\n" + rows)).findings.empty());
}

TEST_CASE("a row listing '' takes an empty value where the system refuses others", "[rules][empty]") {
    auto spec = spec_from("*\tbool\t\t\t\t\t\tempty_refused\n"
                          "a.mem\tsize\t0\t0\t\t''\tb\t\n"
                          "a.count\tint\t3\t\t\t\t\t\n");
    auto file = file_of({{"a.mem", "\"\""}, {"a.count", "\"\""}}, "conf");
    CHECK(reported(check_file(file, spec)) == std::vector<std::string>{"a.count"});
    CHECK(check_file(file_of({{"a.mem", "2gb"}}, "conf"), spec).findings.empty());
}

TEST_CASE("a quoted value of a typed parameter is a finding only where the system decodes types", "[rules][quoted]") {
    const std::string rows =
        "count\tint\t3\t\t\t\t\t\n"
        "flag\tbool\ttrue\t\t\t\t\t\n"
        "name\tstring\t\t\t\t\t\t\n";
    auto load = [](const std::string& yaml) {
        LoadOptions o;
        o.format = "yaml";
        auto f = load_config_bytes("c.yaml", yaml, o);
        REQUIRE(f.has_value());
        return *f;
    };
    auto quoted = load("count: '100'\nflag: \"true\"\nname: 'n1'\n");
    // A lenient reader (Kubernetes, DeepSpeed) takes '100' for 100: nothing without the fact.
    CHECK(check_file(quoted, spec_from(rows)).findings.empty());
    auto strict = spec_from("*\tbool\t\t\t\t\t\tquoted_is_string\n" + rows);
    auto result = check_file(quoted, strict);
    CHECK(reported(result) == std::vector<std::string>{"count", "flag"});
    REQUIRE(!result.findings.empty());
    CHECK(result.findings[0].reason.find("quoted string") != std::string::npos);
    CHECK(check_file(load("count: 100\nflag: true\nname: n1\n"), strict).findings.empty());
    // A quoted '' is an empty string: an enumeration takes it only when it lists ''.
    auto enums = spec_from("*\tbool\t\t\t\t\t\tquoted_is_string\n"
                           "mode\tenum\ta\t\t\ta,b\t\t\n"
                           "opt\tenum\ta\t\t\ta,''\t\t\n");
    CHECK(reported(check_file(load("mode: ''\nopt: ''\n"), enums)) == std::vector<std::string>{"mode"});
    CHECK(check_file(load("mode:\nopt: 'a'\n"), enums).findings.empty());
}

TEST_CASE("a bare number counts in the row's unit, pages of 8kB included", "[rules][units]") {
    auto spec = spec_from(
        "shared_buffers\tsize\t1024\t16\t1073741823\t\t8kB\t\n"
        "checkpoint_timeout\tduration\t300\t30\t86400\t\ts\t\n");
    // 127 pages of 8kB is 1016kB, well above the 16 pages (128kB) minimum.
    CHECK(check_file(file_of({{"shared_buffers", "127"}, {"checkpoint_timeout", "300"}}, "conf"), spec).findings.empty());
    CHECK(check_file(file_of({{"shared_buffers", "128kB"}, {"checkpoint_timeout", "5min"}}, "conf"), spec).findings.empty());
    auto low = check_file(file_of({{"shared_buffers", "15"}, {"checkpoint_timeout", "29"}}, "conf"), spec);
    CHECK(reported(low) == std::vector<std::string>{"shared_buffers", "checkpoint_timeout"});
    // A value with a unit is converted to pages: 100kB is 12.5 pages.
    auto small = check_file(file_of({{"shared_buffers", "100kB"}, {"checkpoint_timeout", "20s"}}, "conf"), spec);
    CHECK(reported(small) == std::vector<std::string>{"shared_buffers", "checkpoint_timeout"});
}

TEST_CASE("a system that names its unit spellings refuses others, case included", "[rules][units]") {
    const std::string rows =
        "work_mem\tsize\t4096\t64\t2147483647\t\tkB\t\n"
        "checkpoint_timeout\tduration\t300\t30\t86400\t\ts\t\n";
    const std::string star = "*\tbool\t\t\t\t\t\tunits B,kB,MB,GB,TB,us,ms,s,min,h,d\n";
    auto written = file_of({{"work_mem", "64mb"}, {"checkpoint_timeout", "5m"}}, "conf");
    // Without `units` every usual spelling passes, in any case.
    CHECK(check_file(written, spec_from(rows)).findings.empty());
    auto refused = check_file(written, spec_from(star + rows));
    CHECK(reported(refused) == std::vector<std::string>{"work_mem", "checkpoint_timeout"});
    REQUIRE(refused.findings.size() == 2);
    CHECK(refused.findings[0].reason.find("case-sensitive: B, kB, MB, GB, TB") != std::string::npos);
    CHECK(refused.findings[1].reason.find("us, ms, s, min, h, d") != std::string::npos);
    // The system's own spellings, and bare numbers, pass.
    auto right = file_of({{"work_mem", "64MB"}, {"checkpoint_timeout", "5min"}}, "conf");
    CHECK(check_file(right, spec_from(star + rows)).findings.empty());
    CHECK(check_file(file_of({{"work_mem", "65536"}, {"checkpoint_timeout", "300"}}, "conf"), spec_from(star + rows))
              .findings.empty());
    // A malformed list is an error with its line.
    auto bad = parse_spec_tsv("*\tbool\t\t\t\t\t\tunits ,\n", "t.tsv");
    CHECK(!bad);
}

TEST_CASE("an integer with a leading 0 is out of range only when its octal reading is too", "[rules][units]") {
    auto spec = spec_from("log_file_mode\tint\t384\t0\t511\t\t\t\nsocket_mode\tfloat\t384\t0\t511\t\t\t\n");
    CHECK(check_file(file_of({{"socket_mode", "0777"}}, "conf"), spec).findings.empty());
    // PostgreSQL reads 0600 as octal (384), Java as 600: neither reading is certain to be wrong.
    CHECK(check_file(file_of({{"log_file_mode", "0600"}}, "conf"), spec).findings.empty());
    CHECK(reported(check_file(file_of({{"log_file_mode", "01000"}}, "conf"), spec)) == std::vector<std::string>{"log_file_mode"});
    CHECK(reported(check_file(file_of({{"log_file_mode", "600"}}, "conf"), spec)) == std::vector<std::string>{"log_file_mode"});
}
