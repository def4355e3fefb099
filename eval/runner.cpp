#include "eval/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>
#include <unordered_set>

#include "eval/journal.hpp"
#include "eval/report.hpp"
#include "eval/results.hpp"
#include "eval/strf.hpp"

namespace ciri {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Expected<void> write_text(const fs::path& path, const std::string& text) {
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        if (!o || !(o << text) || !o.flush()) return std::unexpected(Error{"cannot write", 0, tmp.string()});
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return std::unexpected(Error{"cannot write: " + ec.message(), 0, path.string()});
    return {};
}

Expected<json> read_json(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return std::unexpected(Error{"cannot read", 0, path.string()});
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded()) return std::unexpected(Error{"not json", 0, path.string()});
    return j;
}

void sort_by_id(std::vector<Prediction>& ps) {
    std::sort(ps.begin(), ps.end(), [](const Prediction& a, const Prediction& b) { return natural_less(a.id, b.id); });
}

}  // namespace

ProgressBar::ProgressBar(std::ostream* out, long total) : out_(out), total_(total), started_(now_s()) {}

void ProgressBar::advance(long n) {
    done_ += n;
    draw(false);
}

void ProgressBar::finish() {
    draw(true);
    if (out_) *out_ << "\n" << std::flush;
}

void ProgressBar::draw(bool force) {
    if (!out_) return;
    const double t = now_s();
    if (!force && last_draw_ >= 0 && t - last_draw_ < 0.1) return;
    last_draw_ = t;
    const int width = 30;
    const double share = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    const int filled = static_cast<int>(share * width);
    std::string bar(static_cast<size_t>(filled), '=');
    if (filled < width) bar += '>' + std::string(static_cast<size_t>(width - filled - 1), ' ');
    const double elapsed = t - started_;
    const double rate = elapsed > 0 ? done_ / elapsed : 0;
    std::string eta = "--:--";
    if (rate > 0) {
        const long left = static_cast<long>((total_ - done_) / rate + 0.5);
        eta = strf("%ld:%02ld", left / 60, left % 60);
    }
    *out_ << strf("\r[%s] %ld/%ld  %.1f/s  ETA %s ", bar.c_str(), done_, total_, rate, eta.c_str()) << std::flush;
}

Expected<void> write_reports(const fs::path& dir, const std::vector<Prediction>& predictions, const json& setup) {
    const json results = build_results(predictions, setup);
    if (auto r = write_text(dir / "results.json", results.dump(2) + "\n"); !r) return r;
    if (auto r = write_text(dir / "report.md", render_markdown(results)); !r) return r;
    return write_text(dir / "report.html", render_html(results));
}

Expected<RunSummary> run_eval(const std::vector<DatasetItem>& all_items, const Predictor& predictor,
                              const RunOptions& options) {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec) return std::unexpected(Error{"cannot create: " + ec.message(), 0, options.out_dir.string()});
    const fs::path journal_path = options.out_dir / "predictions.jsonl";
    const fs::path run_path = options.out_dir / "run.json";
    json run = {{"setup", predictor.describe()}, {"dataset", options.dataset_info}};
    if (!options.labels.empty()) run["setup"]["labels"] = options.labels;
    if (options.shard) run["shard"] = strf("%d/%d", options.shard->index, options.shard->count);

    auto journal = read_journal(journal_path);
    if (!journal) return std::unexpected(journal.error());
    if (!options.resume && (!journal->predictions.empty() || journal->skipped_lines > 0))
        return std::unexpected(Error{"has predictions from an earlier run; use --resume or another --out", 0,
                                     journal_path.string()});
    if (options.resume && fs::exists(run_path)) {
        auto before = read_json(run_path);
        if (!before) return std::unexpected(before.error());
        if ((*before)["setup"] != run["setup"])
            return std::unexpected(Error{"--resume with a different setup than the run being resumed", 0, run_path.string()});
    }
    if (auto r = write_text(run_path, run.dump(2) + "\n"); !r) return std::unexpected(r.error());

    const std::vector<DatasetItem> items = options.shard ? shard_items(all_items, *options.shard) : all_items;
    std::unordered_set<std::string> done;
    for (const auto& p : journal->predictions) done.insert(p.id);
    std::vector<const DatasetItem*> todo;
    RunSummary summary;
    summary.items = static_cast<long>(items.size());
    for (const auto& item : items) {
        if (done.count(item.id)) ++summary.resumed;
        else todo.push_back(&item);
    }

    auto writer = JournalWriter::open(journal_path);
    if (!writer) return std::unexpected(writer.error());
    ProgressBar bar(options.progress, static_cast<long>(items.size()));
    bar.advance(summary.resumed);
    std::mutex mu;
    std::optional<Error> write_error;
    std::atomic<long> predicted{0}, errors{0};
    // Plain threads, not TBB: live predictions wait on the network, so --jobs may exceed the cores.
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i = next++; i < todo.size(); i = next++) {
            {
                std::lock_guard lock(mu);
                if (write_error) return;
            }
            Prediction p = predictor.predict(*todo[i]);
            if (!p.error.empty()) ++errors;
            auto w = writer->append(p);
            std::lock_guard lock(mu);
            if (!w) {
                if (!write_error) write_error = w.error();
                return;
            }
            ++predicted;
            bar.advance();
        }
    };
    std::vector<std::thread> threads;
    const size_t n_threads = std::min<size_t>(static_cast<size_t>(std::max(1, options.jobs)), std::max<size_t>(todo.size(), 1));
    for (size_t t = 1; t < n_threads; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    bar.finish();
    if (write_error) return std::unexpected(*write_error);
    summary.predicted = predicted;
    summary.errors = errors;

    auto final_journal = read_journal(journal_path);
    if (!final_journal) return std::unexpected(final_journal.error());
    // Only the items of this run count: a journal resumed with other --systems keeps strays.
    std::unordered_set<std::string> wanted;
    for (const auto& item : items) wanted.insert(item.id);
    std::vector<Prediction> mine;
    for (auto& p : final_journal->predictions)
        if (wanted.count(p.id)) mine.push_back(std::move(p));
    sort_by_id(mine);
    if (auto r = write_reports(options.out_dir, mine, run["setup"]); !r) return std::unexpected(r.error());
    return summary;
}

Expected<long> merge_runs(const std::vector<fs::path>& dirs, const fs::path& out) {
    if (dirs.empty()) return fail("nothing to merge");
    std::optional<json> setup;
    std::vector<Prediction> all;
    std::set<std::string> seen;
    for (const auto& dir : dirs) {
        auto run = read_json(dir / "run.json");
        if (!run) return std::unexpected(run.error());
        if (!setup) setup = (*run)["setup"];
        else if (*setup != (*run)["setup"])
            return std::unexpected(Error{"ran a different setup than " + dirs.front().string(), 0, dir.string()});
        if (!fs::exists(dir / "predictions.jsonl"))
            return std::unexpected(Error{"no predictions.jsonl", 0, dir.string()});
        auto journal = read_journal(dir / "predictions.jsonl");
        if (!journal) return std::unexpected(journal.error());
        for (auto& p : journal->predictions)
            if (seen.insert(p.id).second) all.push_back(std::move(p));
    }
    sort_by_id(all);
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) return std::unexpected(Error{"cannot create: " + ec.message(), 0, out.string()});
    if (auto r = write_journal(out / "predictions.jsonl", all); !r) return std::unexpected(r.error());
    if (auto r = write_text(out / "run.json", json{{"setup", *setup}, {"merged_from", dirs.size()}}.dump(2) + "\n"); !r)
        return std::unexpected(r.error());
    if (auto r = write_reports(out, all, *setup); !r) return std::unexpected(r.error());
    return static_cast<long>(all.size());
}

}  // namespace ciri
