#include "eval/predictor.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "eval/metrics.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ciri_eval_predictor_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// A recorded result file in the artifact's format with the given raw answers and final params.
std::string result_text(const std::vector<std::string>& raw, const std::vector<std::string>& final_params) {
    std::string t = "Wrong shot number:\n[1, 2, 3]\n\nCorrect shot number:\n[4]\n\nRaw json:\n\n";
    for (const auto& r : raw) t += r + "\n\n";
    t += "Final result:\n\n";
    if (final_params.empty()) return t + "The CONFIGURATION FILE IS CORRECT\n";
    t += "There are " + std::to_string(final_params.size()) + " misconfiguration parameters in the input: ";
    for (size_t i = 0; i < final_params.size(); ++i) t += (i ? "\t" : "") + final_params[i];
    t += "\n";
    for (const auto& p : final_params) t += "[Ciri] Reason for " + p + ": bad\n";
    return t;
}

std::string answer(const std::vector<std::string>& params) {
    if (params.empty()) return "{'hasError': False, 'errParameter': [], 'reason': []}";
    std::string ps, rs;
    for (size_t i = 0; i < params.size(); ++i) {
        ps += (i ? ", '" : "'") + params[i] + "'";
        rs += (i ? ", 'bad'" : "'bad'");
    }
    return "{'hasError': True, 'errParameter': [" + ps + "], 'reason': [" + rs + "]}";
}

// Writes answers.jsonl for the fixture dataset: per model, per file id, raw answers + final.
fs::path write_answers(const fs::path& dir,
                       const std::map<std::string, std::map<std::string, std::pair<std::vector<std::vector<std::string>>,
                                                                                   std::vector<std::string>>>>& spec) {
    const fs::path fixture = test::fixture("eval/small/files");
    std::ofstream out(dir / "answers.jsonl");
    int number = 0;
    for (const auto& [model, files] : spec)
        for (const auto& [file, rec] : files) {
            std::vector<std::string> raw;
            for (const auto& a : rec.first) raw.push_back(answer(a));
            auto parsed = parse_ciri_result(result_text(raw, rec.second));
            REQUIRE(parsed);
            // Our layout has no artifact ids; the record is found by the file's content.
            CiriResultId id{"fixture", model, "default", "erroneous", ++number};
            out << to_json(make_record(*parsed, id, slurp(fixture / file))).dump() << "\n";
        }
    return dir / "answers.jsonl";
}

const Prediction& by_id(const std::vector<Prediction>& ps, const std::string& id) {
    for (const auto& p : ps)
        if (p.id == id) return p;
    FAIL("no prediction " << id);
    return ps.front();
}

}  // namespace

TEST_CASE("recorded answers are found by content and voted across models", "[predictor]") {
    const fs::path dir = temp_dir("vote");
    using V = std::vector<std::vector<std::string>>;
    const fs::path answers = write_answers(
        dir, {{"m1",
               {{"hdfs-bad.xml", {V{{"dfs.replication"}, {"dfs.replication"}, {}}, {"dfs.replication"}}},
                {"hdfs-valid.xml", {V{{}}, {}}},
                {"pg-bad.conf", {V{{"max_connections"}}, {"max_connections"}}},
                {"pg-valid.conf", {V{{"port"}}, {"port"}}}}},
              {"m2",
               {{"hdfs-bad.xml", {V{{"DFS_REPLICATION"}}, {"DFS_REPLICATION"}}},  // normalised to the file's key
                {"hdfs-valid.xml", {V{{"dfs.blocksize"}}, {"dfs.blocksize"}}},
                {"pg-bad.conf", {V{{"max_connections", "superuser_reserved_connections"}}, {"max_connections"}}},
                {"pg-valid.conf", {V{{}}, {}}}}},
              {"m3",
               {{"hdfs-bad.xml", {V{{"no.such.param"}}, {"no.such.param"}}},  // hallucinated: dropped
                {"hdfs-valid.xml", {V{{}}, {}}},
                {"pg-bad.conf", {V{{"max_connections", "superuser_reserved_connections"}}, {}}},
                {"pg-valid.conf", {V{{}}, {}}}}}});
    auto ds = read_dataset(test::fixture("eval/small"));
    REQUIRE(ds);
    RecordedOptions o;
    for (const char* m : {"m1", "m2", "m3"}) o.models.push_back("recorded/" + std::string(m) + "@" + answers.string());
    auto pred = RecordedPredictor::create(o);
    REQUIRE(pred);
    std::vector<Prediction> ps;
    for (const auto& item : ds->items) ps.push_back((*pred)->predict(item));

    const Prediction& hb = by_id(ps, "hdfs-bad");
    CHECK(hb.error.empty());
    CHECK(hb.file_params == 3);
    // m1: 2 of 3 samples (share 2/3) + m2: 1 = 1.67 > 1.5 (half of 3 backends).
    CHECK(hb.reported == std::vector<std::string>{"dfs.replication"});
    CHECK(hb.hallucinated == 1);
    CHECK(hb.answers == 5);
    REQUIRE(hb.members.size() == 3);
    CHECK(hb.members[1].reported == std::vector<std::string>{"dfs.replication"});
    CHECK(hb.members[2].verdict == VerdictStatus::valid);  // only a hallucination: nothing left
    // pg-bad: max_connections 3 votes, superuser_reserved_connections 2 > 1.5.
    CHECK(by_id(ps, "pg-bad").reported ==
          std::vector<std::string>{"max_connections", "superuser_reserved_connections"});
    // Valid files: one model each is outvoted.
    CHECK(by_id(ps, "hdfs-valid").verdict == VerdictStatus::valid);
    CHECK(by_id(ps, "pg-valid").verdict == VerdictStatus::valid);

    // --recorded-final: m3's final for pg-bad is "correct", so it no longer votes for anything.
    o.recorded_final = true;
    auto fin = RecordedPredictor::create(o);
    REQUIRE(fin);
    const Prediction pf = (*fin)->predict(ds->items[2]);
    REQUIRE(pf.id == "pg-bad");
    CHECK(pf.reported == std::vector<std::string>{"max_connections"});
    CHECK(pf.answers == 3);
    CHECK((*fin)->describe()["recorded_final"] == true);

    // A threshold can demand unanimity.
    o.recorded_final = false;
    o.vote.threshold = 2.5;
    auto strict = RecordedPredictor::create(o);
    REQUIRE(strict);
    CHECK((*strict)->predict(ds->items[2]).reported == std::vector<std::string>{"max_connections"});

    // `*` expands to every model of the file.
    RecordedOptions star;
    star.models = {"recorded/*@" + answers.string()};
    auto all = RecordedPredictor::create(star);
    REQUIRE(all);
    CHECK((*all)->describe()["models"].size() == 3);
    fs::remove_all(dir);
}

TEST_CASE("recorded predictor setup errors", "[predictor]") {
    const fs::path dir = temp_dir("errors");
    std::ofstream(dir / "empty.jsonl") << "";
    RecordedOptions o;
    CHECK_FALSE(RecordedPredictor::create(o));
    o.models = {"openai/gpt-4o"};
    CHECK_FALSE(RecordedPredictor::create(o));
    o.models = {"recorded/gpt-4@" + (dir / "empty.jsonl").string()};
    auto r = RecordedPredictor::create(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("has no answers of model 'gpt-4'") != std::string::npos);
    o.models = {"recorded/gpt-4@" + (dir / "missing.jsonl").string()};
    CHECK_FALSE(RecordedPredictor::create(o));
    fs::remove_all(dir);
}

TEST_CASE("an item without a recorded answer is an error, not a verdict", "[predictor]") {
    const fs::path dir = temp_dir("missing");
    using V = std::vector<std::vector<std::string>>;
    const fs::path answers = write_answers(dir, {{"m1", {{"hdfs-bad.xml", {V{{"dfs.replication"}}, {"dfs.replication"}}}}}});
    auto ds = read_dataset(test::fixture("eval/small"));
    REQUIRE(ds);
    RecordedOptions o;
    o.models = {"recorded/m1@" + answers.string()};
    auto pred = RecordedPredictor::create(o);
    REQUIRE(pred);
    Prediction p = (*pred)->predict(ds->items[1]);  // hdfs-valid: not recorded
    CHECK(p.id == "hdfs-valid");
    CHECK(p.verdict == VerdictStatus::inconclusive);
    CHECK(p.error == "no recorded answer from m1");
    fs::remove_all(dir);
}

TEST_CASE("short model names drop the provider and the answers file", "[predictor]") {
    CHECK(short_model_name("recorded/gpt-4-0125-preview@x/answers.jsonl") == "gpt-4-0125-preview");
    CHECK(short_model_name("recorded/gpt-4:zero_shot@a.jsonl") == "gpt-4:zero_shot");
    CHECK(short_model_name("openai/gpt-4o") == "gpt-4o");
}

namespace {

// The records of `models` (mode default) read straight from the artifact's results tree.
fs::path artifact_answers(const fs::path& root, const std::vector<std::string>& models, const fs::path& out) {
    std::ofstream o(out);
    std::map<fs::path, std::string> texts;
    for (const auto& path : ciri_result_files(root)) {
        auto id = ciri_result_id(path);
        REQUIRE(id);
        if (id->mode != "default" || std::find(models.begin(), models.end(), id->model) == models.end()) continue;
        auto result = read_ciri_result(path);
        REQUIRE(result);
        auto& text = texts[id->dataset_file(root)];
        if (text.empty()) text = slurp(id->dataset_file(root));
        o << to_json(make_record(*result, *id, text)).dump() << "\n";
    }
    return out;
}

}  // namespace

// The paper's result parser, applied to the same recorded Final results, gives these F1s
// (parameter level; per system, then the macro average over the six systems).
TEST_CASE("recorded Final results reproduce the paper parser's parameter-level F1", "[predictor][artifact]") {
    auto root = test::shared_dir();
    if (!root) return;
    const fs::path dir = temp_dir("paper");
    const fs::path answers =
        artifact_answers(*root, {"gpt-4-0125-preview", "claude-3-sonnet-20240229"}, dir / "answers.jsonl");
    auto ds = read_dataset(*root);
    REQUIRE(ds);
    struct Expect {
        const char* model;
        double macro;
        std::map<std::string, double> systems;
    };
    const Expect expected[] = {
        {"gpt-4-0125-preview", 0.544,
         {{"alluxio", 0.518}, {"django", 0.821}, {"hbase", 0.483}, {"hcommon", 0.507}, {"hdfs", 0.517}, {"postgresql", 0.421}}},
        {"claude-3-sonnet-20240229", 0.628,
         {{"alluxio", 0.522}, {"django", 0.654}, {"hbase", 0.706}, {"hcommon", 0.672}, {"hdfs", 0.706}, {"postgresql", 0.506}}},
    };
    for (const auto& e : expected) {
        RecordedOptions o;
        o.models = {"recorded/" + std::string(e.model) + "@" + answers.string()};
        o.recorded_final = true;
        auto pred = RecordedPredictor::create(o);
        REQUIRE(pred);
        std::vector<Prediction> ps;
        for (const auto& item : ds->items) ps.push_back((*pred)->predict(item));
        Scores s = score(ps);
        INFO(e.model);
        CHECK(s.errors == 0);
        CHECK(s.macro_param.f1 == Approx(e.macro).margin(0.005));
        for (const auto& [system, f1] : e.systems) {
            INFO(system);
            CHECK(s.systems[system].param.rates.f1 == Approx(f1).margin(0.005));
        }
    }
    fs::remove_all(dir);
}
