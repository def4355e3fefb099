// `ciri eval`: score a setup on a labeled dataset; import recorded answers; merge shards; compare.
#include <CLI/CLI.hpp>
#include <iostream>
#include <unistd.h>

#include "ciri/cli/app.hpp"
#include "ciri/cli/flag_check.hpp"
#include "ciri/cli/vote_options.hpp"
#include "base/atomic_file.hpp"
#include "eval/bootstrap.hpp"
#include "eval/dataset.hpp"
#include "eval/detected.hpp"
#include "eval/errata.hpp"
#include "eval/journal.hpp"
#include "eval/import_ciri.hpp"
#include "eval/live_predictor.hpp"
#include "eval/predictor.hpp"
#include "eval/results.hpp"
#include "eval/runner.hpp"
#include "eval/strf.hpp"
#include "ciri/weights_file.hpp"

namespace ciri {

namespace {

struct EvalArgs {
    std::string dataset;
    std::string set = "synthesize";
    std::vector<std::string> systems;
    VoteArgs shared;  // the options validate has too
    bool recorded_final = false;
    std::string filter = "auto";
    std::string out, csv;
    bool resume = false;
    std::string shard;
    int jobs = 4;
    std::string versions;
    std::string errata;
    bool no_progress = false;
    bool artifact_checks = false;  // live runs
    // import-ciri
    std::string results_dir;
    std::string import_out;
    // merge
    std::vector<std::string> merge_dirs;
    std::string merge_out;
    // compare
    std::vector<std::string> compare_files;
};

// Error::format() gives "path:line: error: msg"; the CLI prefixes "ciri: error: " itself.
std::string message(const Error& e) {
    std::string where = e.path;
    if (e.line > 0) where += (where.empty() ? "line " : ":") + std::to_string(e.line);
    return where.empty() ? e.message : where + ": " + e.message;
}

void run_eval_command(const EvalArgs& args, CommandContext& ctx) {
    if (args.dataset.empty()) throw UserError("--dataset is required");
    if (args.out.empty()) throw UserError("--out is required");
    const std::vector<std::string>& models = args.shared.models;
    if (models.empty()) throw UserError("--model is required (e.g. recorded/gpt-4-0125-preview@answers.jsonl)");
    DatasetOptions dopts;
    dopts.systems = args.systems;
    if (args.set == "real-world") dopts.set = DatasetSet::real_world;
    VersionTable versions;
    if (!args.versions.empty()) {
        auto v = read_version_table(args.versions);
        if (!v) throw UserError(message(v.error()));
        versions = std::move(*v);
        dopts.versions = &versions;
    }
    auto dataset = read_dataset(args.dataset, dopts);
    if (!dataset) throw UserError(message(dataset.error()));
    auto labels = correct_labels(*dataset, args.errata, !dopts.systems.empty());
    if (!labels) throw UserError(message(labels.error()));
    if (!labels->empty()) ctx.err << "ciri: " << *labels << "\n";

    // Recorded models (with or without the rules voter) are replayed by the recorded predictor;
    // any other model, or the rules voter alone, makes a live run of the validate pipeline.
    auto is_rules = [](const std::string& m) { return m == "rules" || m.starts_with("rules/"); };
    bool with_rules = std::ranges::any_of(models, is_rules);
    bool live = std::ranges::any_of(models, [&](const std::string& m) {
        return !m.starts_with("recorded/") && !is_rules(m);
    }) || std::ranges::all_of(models, is_rules);
    // The options validate has too, read as validate reads them (without .ciri.yaml: a run is
    // described by its flags alone).
    ValidateOptions o;
    LlmClientOptions co;
    apply_vote_args(args.shared, CiriConfig{}, o, co);
    std::unique_ptr<Predictor> predictor;
    if (live) {
        for (const auto& m : models) {
            // `rules` as a model is the rules voter, as validate runs it without an LLM.
            if (is_rules(m)) continue;
            auto spec = parse_model_spec(m);
            if (!spec) throw UserError("model '" + m + "': " + spec.error().message);
            o.models.push_back({*spec, 1});
        }
        o.rules = o.rules || with_rules;
        if (args.artifact_checks) o.check = CheckRules::ciri_artifact();
        predictor = std::make_unique<LivePredictor>(std::move(o), std::move(co));
    } else {
        RecordedOptions ropts;
        for (const auto& m : models)
            if (!is_rules(m)) ropts.models.push_back(m);
        ropts.rules = with_rules;
        ropts.rules_voter = o.rules_voter;
        ropts.spec_paths = o.spec_paths;
        ropts.vote = o.vote;
        // The measured weights are scored beside an uncalibrated vote: --weights, else the shipped.
        // (Not when weights fitted with the rules voting would score a vote without them.)
        if (o.vote.method != VoteMethod::log_odds) {
            if (args.shared.weights) ropts.calibrated_beside = o.vote.weights;
            else if (auto w = default_weights()) ropts.calibrated_beside = std::move(*w);
            else ctx.err << "ciri: note: the calibrated vote is not scored beside: " << w.error().format() << "\n";
            if (ropts.calibrated_beside && !with_rules && ropts.calibrated_beside->voters.contains("rules")) {
                ropts.calibrated_beside.reset();
                ctx.err << "ciri: note: the calibrated vote is not scored beside: its weights were calibrated with the "
                           "rules voting, and this run has no rules (add --model rules, or give --weights calibrated "
                           "without them)\n";
            }
        }
        ropts.recorded_final = args.recorded_final;
        if (args.filter != "auto") ropts.filter = args.filter == "on";
        auto recorded = RecordedPredictor::create(ropts);
        if (!recorded) throw UserError(message(recorded.error()));
        predictor = std::move(*recorded);
    }

    RunOptions run;
    run.out_dir = args.out;
    run.resume = args.resume;
    run.jobs = args.jobs;
    if (!args.shard.empty()) {
        auto shard = parse_shard(args.shard);
        if (!shard) throw UserError(message(shard.error()));
        run.shard = *shard;
    }
    // The bar redraws one line in place, which only makes sense on a terminal.
    if (!args.no_progress && &ctx.err == &std::cerr && ::isatty(STDERR_FILENO)) run.progress = &ctx.err;
    run.dataset_info = {{"path", args.dataset}, {"systems", dataset->systems()}};
    run.labels = *labels;
    if (dopts.set == DatasetSet::real_world) run.dataset_info["set"] = "real-world";
    auto summary = run_eval(dataset->items, *predictor, run);
    if (!summary) throw UserError(message(summary.error()));

    auto results = read_results(run.out_dir / "results.json");
    if (!results) throw UserError(message(results.error()));
    const auto& unresolved = (*results)["unresolved_counts"];
    ctx.out << strf("%ld items (%ld resumed, %ld predicted, %ld with errors; %ld inconclusive labeled misconfigured, "
                    "%ld labeled valid: listed in report.md)\n",
                    summary->items, summary->resumed, summary->predicted, summary->errors,
                    unresolved.value("inconclusive_misconfigured", 0L), unresolved.value("inconclusive_valid", 0L));
    const auto& ci = (*results)["macro_f1_95"];
    ctx.out << strf("macro F1: parameter %.3f [95%%: %.3f, %.3f], file %.3f [95%%: %.3f, %.3f]\n",
                    (*results)["macro"]["param"]["f1"].get<double>(), ci["param"][0].get<double>(),
                    ci["param"][1].get<double>(), (*results)["macro"]["file"]["f1"].get<double>(),
                    ci["file"][0].get<double>(), ci["file"][1].get<double>());
    ctx.out << detected_summary(*results);
    if (!args.csv.empty()) {
        auto journal = read_journal(run.out_dir / "predictions.jsonl");
        if (!journal) throw UserError(message(journal.error()));
        if (auto written = write_file_atomic(args.csv, predictions_csv(journal->predictions)); !written)
            throw UserError(written.error().message);
        ctx.out << "wrote " << args.csv << "\n";
    }
    ctx.out << "wrote " << (run.out_dir / "results.json").string() << ", report.md, report.html\n";
}

void run_import(const EvalArgs& args, CommandContext& ctx) {
    auto stats = import_ciri_results(args.results_dir, args.import_out);
    if (!stats) throw UserError(message(stats.error()));
    for (const auto& e : stats->skipped) ctx.err << "ciri: warning: skipped " << message(e) << "\n";
    std::string models;
    for (const auto& m : stats->models) models += (models.empty() ? "" : ", ") + m;
    ctx.out << stats->records << " recorded results of " << stats->models.size() << " models (" << models << ") -> "
            << args.import_out << "\n";
}

void run_merge(const EvalArgs& args, CommandContext& ctx) {
    std::vector<std::filesystem::path> dirs(args.merge_dirs.begin(), args.merge_dirs.end());
    auto n = merge_runs(dirs, args.merge_out);
    if (!n) throw UserError(message(n.error()));
    ctx.out << *n << " predictions from " << dirs.size() << " runs -> " << args.merge_out << "\n";
}

void run_compare(const EvalArgs& args, CommandContext& ctx) {
    auto a = read_results(args.compare_files[0]);
    if (!a) throw UserError(message(a.error()));
    auto b = read_results(args.compare_files[1]);
    if (!b) throw UserError(message(b.error()));
    ctx.out << compare_results(*a, *b, args.compare_files[0], args.compare_files[1]);
    // Paired over items, when both runs' journals sit beside their results.json.
    auto journal_of = [](const std::string& results) {
        return std::filesystem::path(results).parent_path() / "predictions.jsonl";
    };
    auto ja = read_journal(journal_of(args.compare_files[0]));
    auto jb = read_journal(journal_of(args.compare_files[1]));
    if (!ja || !jb || ja->predictions.empty() || jb->predictions.empty()) {
        ctx.out << "\nno predictions.jsonl beside both results.json: no paired bootstrap\n";
        return;
    }
    PairedDifference d = paired_bootstrap(ja->predictions, jb->predictions);
    ctx.out << strf("\npaired bootstrap over %ld items: macro parameter F1 B-A %+.3f, 95%% interval [%+.3f, %+.3f]: %s\n",
                    d.items, d.difference, d.interval.low, d.interval.high,
                    d.beyond_noise ? "beyond noise" : "within noise");
}

}  // namespace

void add_eval_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<EvalArgs>();
    auto* cmd = app.add_subcommand("eval", "score a setup on a labeled dataset (our manifest layout or the Ciri artifact)");
    cmd->require_subcommand(0, 1);
    cmd->add_option("--dataset", args->dataset, "dataset directory (manifest.jsonl, or the Ciri artifact root)");
    cmd->add_option("--set", args->set,
                    "which set of the Ciri artifact: synthesize (default: synthesize_config, or our manifest "
                    "layout) or real-world (real_world_config: <system>/<CASE-ID> + historical_issue.tsv)")
        ->check(one_of("set", {"synthesize", "real-world"}));
    cmd->add_option("--systems", args->systems, "only these systems (comma-separated)")->delimiter(',');
    add_vote_options(cmd, args->shared,
                     "model spec, repeatable; recorded/<model>[:<mode>][:final]@<answers.jsonl>, "
                     "recorded/*@<answers.jsonl> = every model in the file; rules = the rules voter; "
                     "any other provider/model[@url] = a live run of the validate pipeline");
    cmd->add_flag("--recorded-final", args->recorded_final, "each recorded model answers with its recorded Final result");
    cmd->add_option("--hallucination-filter", args->filter,
                    "drop reported names that are not parameters of the file: on, off, auto (default: on, "
                    "off with --recorded-final, which scores the Final results as recorded)")
        ->check(CLI::IsMember({"on", "off", "auto"}));
    cmd->add_option("--out", args->out, "output directory (predictions.jsonl, results.json, report.md, report.html)");
    cmd->add_option("--csv", args->csv, "also write per-item predictions to this CSV file");
    cmd->add_flag("--resume", args->resume, "keep the finished items of --out and run the rest");
    cmd->add_option("--shard", args->shard, "run slice I/N of the items (I from 0)");
    cmd->add_option("--jobs,-j", args->jobs, "items predicted at once (default 4)")->check(CLI::PositiveNumber);
    cmd->add_option("--versions", args->versions, "system<TAB>version table for the artifact layout");
    cmd->add_option("--errata", args->errata,
                    "correct the labels where the real program contradicts them (datasets/errata/*.tsv; "
                    "results say so)");
    cmd->add_flag("--no-progress", args->no_progress, "no progress bar on stderr");
    cmd->add_flag("--artifact-checks", args->artifact_checks,
                  "live runs: check answers as the artifact's Ciri did (repeats and reason counts allowed)");

    auto* imp = cmd->add_subcommand("import-ciri", "convert the artifact's recorded results tree to answers.jsonl");
    imp->add_option("RESULTS_DIR", args->results_dir,
                    "the artifact root, its results/, results/synthesize_config or results/real_world_config "
                    "(both sets are read)")
        ->required();
    imp->add_option("--out", args->import_out, "answers.jsonl to write")->required();
    imp->callback([args, &ctx] { run_import(*args, ctx); });

    auto* merge = cmd->add_subcommand("merge", "combine the --out dirs of shards into one report");
    merge->add_option("DIRS", args->merge_dirs, "run directories")->required();
    merge->add_option("--out", args->merge_out, "merged output directory")->required();
    merge->callback([args, &ctx] { run_merge(*args, ctx); });

    auto* compare = cmd->add_subcommand("compare", "print the differences between two results.json");
    compare->add_option("FILES", args->compare_files, "A/results.json B/results.json")->required()->expected(2);
    compare->callback([args, &ctx] { run_compare(*args, ctx); });

    cmd->callback([cmd, args, &ctx] {
        if (!cmd->get_subcommands().empty()) return;
        run_eval_command(*args, ctx);
    });
}

}  // namespace ciri
