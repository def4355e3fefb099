// `ciri calibrate`: measure each voter's reliability on a labeled dataset and write the weights
// the log-odds vote reads (--weights, .ciri.yaml weights:).
#include <CLI/CLI.hpp>

#include "base/atomic_file.hpp"
#include "ciri/cli/app.hpp"
#include "ciri/weights_file.hpp"
#include "eval/calibrate.hpp"
#include "eval/dataset.hpp"
#include "eval/errata.hpp"
#include "eval/predictor.hpp"
#include "eval/strf.hpp"

namespace ciri {

namespace {

struct CalibrateArgs {
    std::string dataset, out, versions, errata, opinions_out;
    std::vector<std::string> systems, models, specs;
    bool unsupervised = false, leave_one_out = false, pool = false;
    int min_category_support = CalibrateOptions{}.min_category_support;
};

void run_calibrate(const CalibrateArgs& args, CommandContext& ctx) {
    if (args.out.empty() && !args.leave_one_out && args.opinions_out.empty())
        throw UserError("--out is required (or --leave-one-out to score only, or --opinions-out)");
    RecordedOptions ropts;
    for (const auto& m : args.models) {
        if (m == "rules" || m.starts_with("rules/")) ropts.rules = true;
        else if (m.starts_with("recorded/")) ropts.models.push_back(m);
        else
            throw UserError("model '" + m +
                            "': calibrate replays recorded answers (recorded/<model>@<answers.jsonl>) and rules; "
                            "record a live model's answers first (ciri eval import-ciri for the artifact)");
    }
    DatasetOptions dopts;
    dopts.systems = args.systems;
    VersionTable versions;
    if (!args.versions.empty()) {
        auto v = read_version_table(args.versions);
        if (!v) throw UserError(v.error().format());
        versions = std::move(*v);
        dopts.versions = &versions;
    }
    auto dataset = read_dataset(args.dataset, dopts);
    if (!dataset) throw UserError(dataset.error().format());
    auto labels = correct_labels(*dataset, args.errata, !dopts.systems.empty());
    if (!labels) throw UserError(labels.error().format());
    if (!labels->empty()) ctx.out << *labels << "\n";

    for (const auto& s : args.specs) ropts.spec_paths.emplace_back(s);
    auto predictor = RecordedPredictor::create(ropts);
    if (!predictor) throw UserError(predictor.error().format());

    std::vector<VotedParam> params = voted_params(dataset->items, **predictor);
    if (args.pool) params = pool_llms(params);
    if (args.unsupervised)
        for (auto& p : params) p.misconfigured.reset();
    // Before any scoring, so a researcher can study the very data the weights are measured on.
    if (!args.opinions_out.empty()) {
        if (auto written = write_file_atomic(args.opinions_out, voted_params_jsonl(params)); !written)
            throw UserError(written.error().message);
        ctx.out << "wrote " << args.opinions_out << " (" << params.size() << " parameters)\n";
        if (args.out.empty() && !args.leave_one_out) return;
    }
    CalibrateOptions copts;
    copts.min_category_support = args.min_category_support;

    if (args.leave_one_out) {
        if (args.unsupervised) throw UserError("--leave-one-out scores against labels; drop --unsupervised");
        ParamScores s = leave_one_group_out(params, copts);
        for (const auto& [system, f1] : s.f1_by_group) ctx.out << strf("  %-12s F1 %.3f\n", system.c_str(), f1);
        ctx.out << strf("leave one system out: macro parameter F1 %.3f, precision %.3f, recall %.3f\n", s.f1,
                        s.precision, s.recall);
        if (args.out.empty()) return;
    }

    Weights w = args.unsupervised ? calibrate_unsupervised(params, copts) : calibrate_supervised(params, copts);
    // Pooled, the LLMs' figures are the default for any LLM; they name no model of their own.
    if (args.pool) w.voters.erase("llm");
    std::string systems;
    for (const auto& s : dataset->systems()) systems += (systems.empty() ? "" : ", ") + s;
    w.source = std::string(args.unsupervised ? "unsupervised (Dawid-Skene) on " : "labels of ") + args.dataset +
               " (" + systems + "), " + std::to_string(params.size()) + " parameters" +
               (labels->empty() ? "" : "; " + *labels);
    if (auto written = write_file_atomic(args.out, weights_yaml(w)); !written)
        throw UserError(written.error().message);

    ctx.out << strf("prior %.4f, threshold %.3f (log-odds)\n", w.prior, w.threshold);
    for (const auto& [name, r] : w.voters)
        ctx.out << strf("  %-28s sensitivity %.3f  false alarm %.4f  (%d categories)\n", name.c_str(), r.sensitivity,
                        r.false_alarm, static_cast<int>(r.categories.size()));
    if (!args.unsupervised)
        ctx.out << strf("macro parameter F1 on the calibration data: %.3f\n", macro_f1(params, w, w.threshold));
    ctx.out << "wrote " << args.out << "\n";
}

}  // namespace

void add_calibrate_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<CalibrateArgs>();
    auto* cmd = app.add_subcommand("calibrate", "measure each voter's reliability on a labeled dataset (weights for the log-odds vote)");
    cmd->add_option("--dataset", args->dataset, "dataset directory (manifest.jsonl, or the Ciri artifact root)")->required();
    cmd->add_option("--model", args->models,
                    "voter, repeatable: recorded/<model>[:<mode>]@<answers.jsonl> (recorded/*@FILE = every model "
                    "of the file) or rules")
        ->required()
        ->allow_extra_args(false);
    cmd->add_option("--out", args->out, "weights file to write (YAML; read by --weights and .ciri.yaml weights:)");
    cmd->add_option("--opinions-out", args->opinions_out,
                    "also write what each voter said of every parameter, one JSON line per parameter (item, "
                    "system, key, truth, opinions by voter: stance, share, category, value, reason), to study the vote");
    cmd->add_option("--systems", args->systems, "only these systems (comma-separated)")->delimiter(',');
    cmd->add_option("--versions", args->versions, "system<TAB>version table for the artifact layout");
    cmd->add_option("--errata", args->errata,
                    "correct the labels where the real program contradicts them (datasets/errata/*.tsv)");
    cmd->add_option("--spec", args->specs, "spec tables for the rules voter, before the shipped ones")
        ->allow_extra_args(false);
    cmd->add_flag("--unsupervised", args->unsupervised,
                  "ignore the labels: estimate reliability from the voters' agreement (Dawid-Skene EM)");
    cmd->add_flag("--leave-one-out", args->leave_one_out,
                  "print the macro parameter F1 of calibrating on all systems but one and scoring that one");
    cmd->add_flag("--pool-llms", args->pool,
                  "measure the recorded LLMs as one typical LLM beside the rules (writes default_llm: the "
                  "figures an uncalibrated LLM gets)");
    cmd->add_option("--min-category-support", args->min_category_support,
                    "wrong opinions a category needs for rates of its own")
        ->capture_default_str();
    cmd->footer(R"(
The log-odds vote adds, per parameter, the prior's log-odds and each voter's log-likelihood
ratio: ln(sensitivity/false_alarm) for wrong, ln((1-sensitivity)/(1-false_alarm)) for ok,
nothing for abstain; a parameter is reported above the threshold, chosen for macro F1 on the
calibration data. Never score on the systems you calibrated on (see --leave-one-out).)");
    cmd->callback([args, &ctx] { run_calibrate(*args, ctx); });
}

}  // namespace ciri
