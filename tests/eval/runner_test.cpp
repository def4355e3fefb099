#include "eval/runner.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "eval/journal.hpp"
#include "eval/results.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ciri_eval_runner_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Flags every file whose id ends in an even digit, reporting its first true parameter or "x".
class FakePredictor : public Predictor {
public:
    explicit FakePredictor(std::string name = "fake") : name_(std::move(name)) {}
    Prediction predict(const DatasetItem& item) const override {
        ++calls;
        Prediction p = prediction_for(item);
        p.file_params = 8;
        const char last = item.id.back();
        if ((last - '0') % 2 == 0) {
            p.verdict = VerdictStatus::misconfigured;
            p.reported = {item.params.empty() ? "x" : item.params.front()};
        }
        p.requests = 1;
        p.cost_usd = 0.01;
        p.latency_ms = 10.0 * (last - '0');
        return p;
    }
    nlohmann::json describe() const override { return {{"name", name_}, {"models", {name_}}, {"vote", "param"}}; }
    mutable std::atomic<int> calls{0};

private:
    std::string name_;
};

std::vector<DatasetItem> items(int n) {
    std::vector<DatasetItem> out;
    for (int i = 0; i < n; ++i) {
        DatasetItem item;
        item.id = "sys" + std::to_string(i % 3) + "/" + std::to_string(i);
        item.system = "sys" + std::to_string(i % 3);
        if (i % 2) {
            item.label = Label::misconfigured;
            item.params = {"p" + std::to_string(i)};
            item.category = "Range";
            item.subcategory = "Port";
        }
        out.push_back(item);
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return natural_less(a.id, b.id); });
    return out;
}

}  // namespace

TEST_CASE("a run writes the journal and the reports, and refuses to mix runs", "[runner]") {
    const fs::path out = temp_dir("basic");
    FakePredictor fake;
    RunOptions o;
    o.out_dir = out;
    o.jobs = 3;
    auto s = run_eval(items(20), fake, o);
    REQUIRE(s);
    CHECK(s->items == 20);
    CHECK(s->predicted == 20);
    CHECK(fake.calls == 20);
    CHECK(read_journal(out / "predictions.jsonl")->predictions.size() == 20);
    auto results = read_results(out / "results.json");
    REQUIRE(results);
    CHECK((*results)["systems"].size() == 3);
    CHECK((*results)["setup"]["name"] == "fake");
    CHECK((*results)["usage"]["requests"] == 20);
    CHECK(slurp(out / "report.md").find("| fake |") != std::string::npos);
    CHECK(slurp(out / "report.html").find("<svg") != std::string::npos);
    // Again without --resume: refused.
    auto again = run_eval(items(20), fake, o);
    REQUIRE_FALSE(again);
    CHECK(again.error().message.find("use --resume") != std::string::npos);
    // With --resume: nothing left to do.
    o.resume = true;
    auto resumed = run_eval(items(20), fake, o);
    REQUIRE(resumed);
    CHECK(resumed->resumed == 20);
    CHECK(resumed->predicted == 0);
    CHECK(fake.calls == 20);
    // A different setup cannot resume this run.
    FakePredictor other("other");
    CHECK_FALSE(run_eval(items(20), other, o));
    fs::remove_all(out);
}

TEST_CASE("resume after a kill redoes only the unfinished items", "[runner]") {
    const fs::path out = temp_dir("kill");
    FakePredictor fake;
    RunOptions o;
    o.out_dir = out;
    REQUIRE(run_eval(items(10), fake, o));
    // Simulate SIGKILL during the 10th append: its line is cut short.
    std::string journal = slurp(out / "predictions.jsonl");
    const size_t last = journal.rfind('\n', journal.size() - 2);
    journal.resize(last + 1 + 15);
    std::ofstream(out / "predictions.jsonl", std::ios::binary | std::ios::trunc) << journal;
    auto before = read_journal(out / "predictions.jsonl");
    REQUIRE(before->predictions.size() == 9);
    CHECK(before->skipped_lines == 1);
    FakePredictor second;
    o.resume = true;
    auto s = run_eval(items(10), second, o);
    REQUIRE(s);
    CHECK(s->resumed == 9);
    CHECK(s->predicted == 1);
    CHECK(second.calls == 1);
    CHECK(read_journal(out / "predictions.jsonl")->predictions.size() == 10);
    fs::remove_all(out);
}

TEST_CASE("merged shards equal the unsharded run", "[runner]") {
    const fs::path base = temp_dir("shards");
    FakePredictor fake;
    RunOptions whole;
    whole.out_dir = base / "whole";
    REQUIRE(run_eval(items(31), fake, whole));
    std::vector<fs::path> dirs;
    long total = 0;
    for (int i = 0; i < 4; ++i) {
        RunOptions o;
        o.out_dir = base / ("shard" + std::to_string(i));
        o.shard = Shard{i, 4};
        auto s = run_eval(items(31), fake, o);
        REQUIRE(s);
        total += s->items;
        dirs.push_back(o.out_dir);
    }
    CHECK(total == 31);
    auto n = merge_runs(dirs, base / "merged");
    REQUIRE(n);
    CHECK(*n == 31);
    auto a = read_results(whole.out_dir / "results.json");
    auto b = read_results(base / "merged" / "results.json");
    REQUIRE(a);
    REQUIRE(b);
    // Latency is the only field measured per run; the fake makes it deterministic too.
    CHECK(*a == *b);
    auto ja = read_journal(whole.out_dir / "predictions.jsonl");
    auto jb = read_journal(base / "merged" / "predictions.jsonl");
    std::set<std::string> ida, idb;
    for (const auto& p : ja->predictions) ida.insert(to_json(p).dump());
    for (const auto& p : jb->predictions) idb.insert(to_json(p).dump());
    CHECK(ida == idb);
    // Shards of different setups do not merge.
    FakePredictor other("other");
    RunOptions o;
    o.out_dir = base / "odd";
    REQUIRE(run_eval(items(31), other, o));
    auto bad = merge_runs({dirs[0], o.out_dir}, base / "bad");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("different setup") != std::string::npos);
    CHECK_FALSE(merge_runs({base / "nothing"}, base / "bad"));
    fs::remove_all(base);
}

TEST_CASE("the progress bar shows done, rate and ETA", "[runner]") {
    std::ostringstream out;
    ProgressBar bar(&out, 4);
    bar.advance(2);
    bar.finish();
    const std::string s = out.str();
    CHECK(s.find("2/4") != std::string::npos);
    CHECK(s.find("/s") != std::string::npos);
    CHECK(s.find("ETA") != std::string::npos);
    CHECK(s.back() == '\n');
    ProgressBar none(nullptr, 4);
    none.advance();  // no output stream: nothing to draw, no crash
}
