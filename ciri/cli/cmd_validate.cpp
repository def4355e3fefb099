// `ciri validate`: the command people run by hand, in CI and from the git hook.
#include <tbb/global_control.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>

#include "base/atomic_file.hpp"
#include "ciri/cli/app.hpp"
#include "ciri/cli/change_scope.hpp"
#include "ciri/cli/terminal.hpp"
#include "ciri/cli/vote_options.hpp"
#include "ciri/cli/flag_check.hpp"
#include "prompts/shot_selection.hpp"
#include "ciri/file_walk.hpp"
#include "ciri/pipeline.hpp"
#include "ciri/report/jsonl.hpp"
#include "ciri/report/reporter.hpp"
#include "ciri/trust.hpp"
#include "ciri/weights_file.hpp"
#include "eval/runner.hpp"
#include "parsers/detect.hpp"
#include "ciri/rules/facts.hpp"
#include "ciri/rules/spec.hpp"

namespace ciri {

namespace {

struct ValidateArgs {
    std::vector<std::string> paths;
    VoteArgs shared;  // the options eval has too
    std::string system, version;
    std::vector<std::string> context;  // --context KEY=VALUE
    std::vector<std::vector<std::string>> job_files;  // --job FILE... (repeatable)
    bool no_directory_jobs = false;
    std::optional<std::string> code_dir;  // --code-dir
    int jobs = 0;
    std::vector<std::string> formats;
    std::string output;
    std::vector<std::string> fail_on;
    std::string config;
    bool no_config = false;
    bool quiet = false, show_secrets = false, verbose = false;
    std::vector<std::string> exclude;
    std::string min_severity = "warning";
    size_t max_size = kDefaultMaxBytes;
    std::string color = "auto";
    // git and CI integration
    ChangeScope scope;
    bool skip_unknown = false, rules_only = false;
    std::string stdin_filename;
};

constexpr const char* kNoLlm =
    "no LLM configured: running the rules voter alone.\n"
    "  add one with --model or in .ciri.yaml (models:), for example:\n"
    "    --model openai/gpt-4o                       (OPENAI_API_KEY)\n"
    "    --model anthropic/claude-sonnet-4-5         (ANTHROPIC_API_KEY)\n"
    "    --model ollama/qwen2.5-coder:7b             (a local Ollama, OLLAMA_HOST)\n"
    "    --model openai/MODEL@http://127.0.0.1:8000/v1   (vLLM, llama.cpp server, LM Studio)\n";

// The user's own configuration, then the repository's (which may not run programs or send
// keys unless trusted, see trust.hpp).
CiriConfig load_config_for(const ValidateArgs& args) {
    if (args.no_config) return {};
    std::optional<std::filesystem::path> path;
    if (!args.config.empty()) path = args.config;
    else path = find_ciri_config(std::filesystem::current_path());
    return load_effective_config(path);
}

// Flags beat .ciri.yaml, which beats the defaults.
ValidateOptions options_from(const ValidateArgs& args, const CiriConfig& config, LlmClientOptions& client) {
    ValidateOptions o;
    apply_vote_args(args.shared, config, o, client);  // first: the lanes below copy its limits
    std::vector<ModelConfig> models = config.models;
    if (!args.shared.models.empty()) {
        models.clear();
        for (const auto& m : args.shared.models) models.push_back({.spec = m});
    }
    for (const auto& m : models) {
        auto spec = parse_model_spec(m.spec);
        if (!spec) throw UserError("model '" + m.spec + "': " + spec.error().message);
        if (!m.base_url.empty()) spec->base_url = m.base_url;
        o.models.push_back({*spec, m.weight});
        std::string key = spec->to_string();
        if (!m.api_key_env.empty()) client.config_for[key].key_env = m.api_key_env;
        LaneLimits lane = client.limits;
        if (m.max_in_flight > 0) lane.max_in_flight = m.max_in_flight;
        if (m.rpm > 0) lane.requests_per_minute = m.rpm;
        if (m.tpm > 0) lane.tokens_per_minute = m.tpm;
        client.limits_for[key] = lane;
        if (m.price_input || m.price_output || m.price_cached_input) {
            Price p{m.price_input.value_or(0), m.price_cached_input.value_or(m.price_input.value_or(0)),
                    m.price_output.value_or(0)};
            client.prices.set(spec->model, p);
        }
    }
    o.load.system = args.system;
    o.load.version = args.version;
    o.load.max_bytes = args.max_size;
    o.mappings = config.systems;
    o.ignore = config.ignore;
    // Facts the files do not hold: .ciri.yaml's, then --context per key; checked here so a
    // typo stops the run before anything is sent.
    o.context = config.context;
    for (const auto& c : args.context)
        if (auto ok = add_context_arg(c, o.context); !ok) throw UserError(ok.error().message);
    if (auto facts = resolve_facts(o.context, default_spec_dir()); !facts) throw UserError(facts.error().message);
    if (o.load.version.empty() && o.context.contains("version")) o.load.version = o.context.at("version");
    o.jobs = config.jobs;
    o.jobs.insert(o.jobs.end(), args.job_files.begin(), args.job_files.end());
    o.directory_jobs = !args.no_directory_jobs;
    return o;
}

// One output: a reporter and where it writes ("" = stdout).
struct Output {
    const Reporter* reporter;
    std::string file;
};

std::vector<Output> outputs_from(const ValidateArgs& args) {
    std::vector<Output> outs;
    std::vector<std::string> specs = args.formats.empty() ? std::vector<std::string>{"human"} : args.formats;
    bool stdout_taken = false;
    for (const auto& spec : specs) {
        size_t eq = spec.find('=');
        std::string name = spec.substr(0, eq);
        std::string file = eq == std::string::npos ? "" : spec.substr(eq + 1);
        const Reporter* r = find_reporter(name);
        if (!r) throw UserError("unknown output format '" + name + "' (human, json, sarif, junit, github)");
        if (file.empty() && !args.output.empty()) file = args.output;
        if (file.empty()) {
            if (stdout_taken) throw UserError("only one --format can write to standard output; give the others =FILE");
            stdout_taken = true;
        }
        outs.push_back({r, file});
    }
    return outs;
}

// Files the walk would not take (see why_not_configuration) are skipped and counted; a file
// that .ciri.yaml maps to a system is the user's word and is kept, as in the walk.
std::vector<std::string> skip_unknown(const std::vector<std::string>& paths, const ValidateArgs& args,
                                      const CiriConfig& config, CommandContext& ctx) {
    std::vector<std::string> keep;
    int skipped = 0;
    for (const auto& p : paths) {
        std::string head;
        if (p != "-") {
            std::ifstream in(p, std::ios::binary);
            head.resize(kSniffBytes);
            in.read(head.data(), static_cast<std::streamsize>(head.size()));
            head.resize(static_cast<size_t>(in.gcount()));
        }
        if (p == "-" || why_not_configuration(p, head).empty() || mapped_configuration(p, head, config.systems))
            keep.push_back(p);
        else ++skipped;
    }
    if (skipped && !args.quiet) ctx.err << "ciri: note: " << skipped << " file(s) ciri cannot classify were skipped (--skip-unknown)\n";
    return keep;
}

// The code that reads the parameters (--code-dir, else `code:` relative to .ciri.yaml), indexed
// once for the run; null when none is given or no LLM would read it (which is said).
std::shared_ptr<const CodeIndex> code_for(const ValidateArgs& args, const CiriConfig& config, bool llm,
                                          CommandContext& ctx) {
    std::filesystem::path path;
    if (args.code_dir) path = *args.code_dir;
    else if (config.code) path = config.path.parent_path() / *config.code;
    if (path.empty()) return nullptr;
    if (!llm) {
        if (!args.quiet) ctx.err << "ciri: note: no LLM reads prompts: the code of " << path.string() << " is not used\n";
        return nullptr;
    }
    std::vector<std::string> notes;
    auto index = load_code_index(path, notes);
    if (!index) throw UserError(index.error().format());
    if (!args.quiet)
        for (const auto& n : notes) ctx.err << "ciri: note: " << n << "\n";
    return std::make_shared<const CodeIndex>(std::move(*index));
}

void run(const ValidateArgs& args, CommandContext& ctx) {
    CiriConfig config = load_config_for(args);
    LlmClientOptions client_options;
    ValidateOptions options = options_from(args, config, client_options);
    std::vector<Output> outputs = outputs_from(args);

    if (args.rules_only) options.models.clear();  // nothing leaves the machine
    if (!args.stdin_filename.empty()) options.stdin_name = args.stdin_filename;
    if (options.models.empty()) {
        if (!options.rules)
            throw UserError(std::string("nothing to validate with: ") + kNoLlm + "  (or drop --no-rules)");
        if (!args.quiet && !args.rules_only) ctx.err << "ciri: note: " << kNoLlm;
    }
    // Weights fitted with the rules voting, used without them: their threshold was chosen for a
    // vote the rules carried, and a few LLMs alone might never reach it (two LLMs naming the
    // same port out of range would make the file valid). The param vote decides instead; said.
    if (options.vote.method == VoteMethod::log_odds && !options.rules && options.models.size() > 1 &&
        options.vote.weights.voters.contains("rules") && !options.vote.threshold) {
        options.vote.method = VoteMethod::param;
        if (!args.quiet)
            ctx.err << "ciri: note: the log-odds weights were calibrated with the rules voting; without them "
                       "(--no-rules) the param vote decides (give weights calibrated without the rules, or "
                       "--threshold, to keep log-odds)\n";
    }
    options.prompt.code = code_for(args, config, !options.models.empty(), ctx);

    std::string rev;
    std::vector<std::string> paths = args.paths;
    for (const auto& job : args.job_files) paths.insert(paths.end(), job.begin(), job.end());  // a job's files are validated too
    if (selects_from_git(args.scope)) {
        if (!paths.empty()) throw UserError("--changed, --staged and --worktree pick the files; give no paths with them");
        paths = changed_paths(args.scope, rev);
    } else if (paths.empty()) {
        paths.push_back(".");
    }
    WalkOptions walk_options{config.include, config.exclude, config.systems};
    walk_options.exclude.insert(walk_options.exclude.end(), args.exclude.begin(), args.exclude.end());
    WalkReport walk;
    if (!paths.empty()) paths = expand_paths(paths, walk_options, &walk);
    if (args.skip_unknown && args.shared.input_format.empty() && args.system.empty()) paths = skip_unknown(paths, args, config, ctx);
    if (paths.empty()) {
        // An empty change, or nothing ciri knows in it, is not an error for a hook or a CI job.
        if (selects_from_git(args.scope) || args.skip_unknown) {
            if (!args.quiet) ctx.err << "ciri: no configuration files to validate\n";
            return;
        }
        std::string why;
        for (const auto& s : walk.skipped) why += "\n  skipped " + s.path + ": " + s.reason;
        throw UserError("no configuration files found in the given paths" + why);
    }
    if (std::ranges::find(paths, "-") != paths.end())
        options.stdin_text = read_at_most(std::cin, options.load.max_bytes);  // refused later if longer

    // Progress only for people: a TTY on stderr, and only once the run has taken a while.
    bool tty = ::isatty(STDERR_FILENO) && &ctx.err == &std::cerr;
    auto start = std::chrono::steady_clock::now();
    std::optional<ProgressBar> bar;
    size_t shown = 0;
    if (tty && !args.quiet)
        options.progress = [&ctx, &bar, &shown, start](size_t done, size_t total) {
            if (std::chrono::steady_clock::now() - start < std::chrono::seconds(2)) return;
            if (!bar) bar.emplace(&ctx.err, static_cast<long>(total));
            bar->advance(static_cast<long>(done - shown));
            shown = done;
        };

    std::optional<tbb::global_control> jobs;
    if (args.jobs > 0) jobs.emplace(tbb::global_control::max_allowed_parallelism, args.jobs);
    // -f jsonl on standard output streams: each file's line goes out as soon as it is final
    // (not with --new-only or --baseline, which change findings after the run).
    std::optional<JsonlWriter> stream;
    bool refiltered = args.scope.new_only || !args.scope.baseline.empty();
    for (const auto& out : outputs)
        if (out.reporter->name == "jsonl" && out.file.empty() && !refiltered)
            stream.emplace(ctx.out, ReportOptions{.show_secrets = args.show_secrets, .verbose = args.verbose,
                                                  .min_severity = args.min_severity});
    if (stream) options.on_file = [&stream](const FileResult& f) { stream->file(f); };
    LlmClient client(client_options);
    RunReport report = validate_files(paths, options, client);
    options.on_file = nullptr;
    if (bar) bar->finish();
    report.skipped = std::move(walk.skipped);
    apply_change_filters(args.scope, rev.empty() ? "HEAD" : rev, report, options, client, ctx);

    bool color = want_color(args.color, ::isatty(STDOUT_FILENO) && &ctx.out == &std::cout);
    for (const auto& out : outputs) {
        if (stream && out.reporter->name == "jsonl" && out.file.empty()) {
            stream->summary(report);  // the files' lines are out already
            continue;
        }
        std::ostringstream text;
        out.reporter->render(report, text, {.color = color && out.file.empty() && out.reporter->name == "human",
                                            .show_secrets = args.show_secrets, .verbose = args.verbose,
                                            .min_severity = args.min_severity});
        if (out.file.empty()) {
            ctx.out << text.str();
        } else if (auto written = write_file_atomic(out.file, text.str()); !written) {
            throw UserError(written.error().message);
        }
    }
    std::vector<std::string> fail_on = args.fail_on.empty() ? config.fail_on : args.fail_on;
    ctx.exit_code = exit_code_for(report, fail_on);
}

}  // namespace

void add_validate_command(CLI::App& app, CommandContext& ctx) {
    auto a = std::make_shared<ValidateArgs>();
    auto* cmd = app.add_subcommand("validate", "find misconfigurations in config files with LLMs and rules");
    cmd->add_option("paths", a->paths,
                    "files, directories (recursed) and globs; - reads standard input (default: .)");
    add_vote_options(cmd, a->shared, "LLM to ask, provider/model[@base_url]; repeat to let several vote");
    add_change_options(cmd, a->scope);
    cmd->add_flag("--skip-unknown", a->skip_unknown, "skip, with a note, files ciri cannot classify (for hooks and CI)");
    cmd->add_flag("--rules-only", a->rules_only, "ignore the configured models: the rules voter alone, no network");
    cmd->add_option("--stdin-filename", a->stdin_filename, "the name of the file read from stdin (-), for detection "
                                                            "and reports");
    cmd->add_option("--system", a->system, "system the files configure (default: detected); implies its usual format")
        ->check(one_of("system", system_names()));
    cmd->add_option("--sys-version", a->version, "version of that system");
    cmd->add_option("--job", a->job_files,
                    "files checked together as one job (batch script, launcher, DeepSpeed/Megatron config, pod, "
                    "slurm.conf + gres.conf); repeat for several jobs")
        ->expected(2, -1);
    cmd->add_flag("--no-directory-jobs", a->no_directory_jobs,
                  "do not check the GPU-job files of one directory together");
    cmd->add_option("--context", a->context,
                    "a fact the files do not hold, KEY=VALUE (repeatable): world_size, nodes, gpus_per_node, "
                    "gpu (e.g. H100), model (Hugging Face id or path to config.json), version")
        ->allow_extra_args(false);
    cmd->add_option("--code-dir", a->code_dir,
                    "the system's source tree, or its index from `ciri code index`: prompts show the code reading "
                    "the file's parameters");
    cmd->add_option("-j,--jobs", a->jobs, "threads for parsing and aggregation (default: all cores)");
    cmd->add_option("-f,--format", a->formats,
                    "output: human, json, jsonl (a line per file as it finishes), sarif, junit, github, checkstyle or "
                    "codequality; FORMAT=FILE writes a file; repeatable")
        ->check(one_of("output format", output_format_names(), true))
        ->allow_extra_args(false);
    cmd->add_option("-o,--output", a->output, "write the output to FILE (atomically) instead of stdout");
    cmd->add_option("--fail-on", a->fail_on, "verdicts that fail the run: misconfigured, inconclusive, error")
        ->delimiter(',')
        ->check(one_of("verdict", {"misconfigured", "inconclusive", "error"}))
        ->allow_extra_args(false);
    cmd->add_option("--config", a->config, "ciri configuration file (default: .ciri.yaml here or above)");
    cmd->add_flag("--no-config", a->no_config, "ignore .ciri.yaml and your own ~/.config/ciri/config.yaml");
    cmd->add_flag("--show-secrets", a->show_secrets, "print secret values in reports (masked as <redacted> by default)");
    cmd->add_option("--severity", a->min_severity,
                    "the least severity machine reports show: warning (default: inconclusive files too) or error")
        ->check(one_of("severity", {"warning", "error"}));
    cmd->add_option("--max-size", a->max_size, "largest file to read, in bytes")->capture_default_str();
    cmd->add_option("--color", a->color, "auto, always or never")
        ->check(one_of("color mode", {"auto", "always", "never"}))
        ->capture_default_str();
    cmd->add_flag("-q,--quiet", a->quiet, "quiet: only findings and errors (no progress, no notes)");
    cmd->add_option("--exclude", a->exclude,
                    "leave out paths matching GLOB in a walk (fnmatch, `**` for any folders; as in .gitignore); "
                    "repeatable")
        ->allow_extra_args(false);
    cmd->add_flag("-v,--verbose", a->verbose, "list every path a directory walk skipped, with why");
    cmd->footer(R"(
Without an LLM configured, the rules voter validates alone (deterministic, offline).
Exit codes: 0 all valid, 1 a misconfiguration found (a syntax error is one, at its line),
2 usage or input error (a file that cannot be read: missing, binary, too large), 3 inconclusive (a backend unreachable, no quorum). --fail-on
picks which verdicts fail the run; the others exit 0.)");
    cmd->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace ciri
