#include "ciri/pipeline.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <optional>

#include "aggregator/answer.hpp"
#include "aggregator/hallucination.hpp"
#include "ciri/redact.hpp"
#include "ciri/rules/job.hpp"
#include "ciri/rules_opinions.hpp"
#include "ciri/rules/spec.hpp"
#include "ciri/suppress.hpp"
#include "ciri/syntax_findings.hpp"
#include "parsers/detect.hpp"
#include "prompts/shot_library.hpp"

namespace ciri {

namespace {

// One file on its way through the stages.
struct Item {
    std::string path;
    Expected<ConfigFile> file = std::unexpected(Error{"not loaded"});
    ConfigFile sent;       // what leaves the machine: the file after redaction
    BuiltPrompts prompts;  // one chunk per part of the file validated on its own
    std::vector<ConfigFile> chunk_files;  // per chunk: the parameters it covers, to ground answers
    FileResult result;
    bool unfinished = false;  // the run's deadline cut it short: never valid
};

// One LLM asked about one chunk of one file, over one or more rounds of requests.
struct Job {
    size_t item = 0, chunk = 0, voter = 0;
    BackendSamples samples;
    int requested = 0;  // samples asked for so far
    int round = 0;
    std::vector<std::future<LlmResponse>> pending;
    std::vector<std::string> errors;
    bool done = false;
    bool cut = false;  // the run's deadline ended it before its samples were in
};

bool past(std::chrono::steady_clock::time_point deadline) {
    return deadline != std::chrono::steady_clock::time_point::max() && std::chrono::steady_clock::now() >= deadline;
}

constexpr const char* kUnfinished = "not finished before the run's deadline (--deadline): never called valid";

ConfigFile chunk_file(const ConfigFile& file, const PromptChunk& chunk) {
    ConfigFile part = file;
    part.params.assign(file.params.begin() + chunk.first_param,
                       file.params.begin() + chunk.first_param + chunk.param_count);
    return part;
}

LoadOptions load_options_for(const std::string& path, const ValidateOptions& options) {
    LoadOptions load = options.load;
    load.recover = true;  // a syntax error is a finding, reported with the rest of the file
    // .ciri.yaml mappings fill what the command line left open; the first match wins.
    for (const auto& m : options.mappings)
        if (glob_match(m.glob, path) || glob_match("*/" + m.glob, path)) {
            if (load.system.empty()) load.system = m.system;
            if (load.version.empty()) load.version = m.version;
            break;
        }
    return load;
}

// Secrets in shots leave the machine too: the same redaction as the file under test.
void redact_shots(std::vector<Shot>& shots) {
    for (auto& shot : shots) {
        const SystemInfo* sys = find_system(shot.system);
        LoadOptions load;
        if (sys) load.format = std::string(sys->format);
        auto parsed = load_config_bytes(shot.id, shot.config, load);
        if (!parsed) continue;
        int count = 0;
        ConfigFile clean = redact(*parsed, &count);
        if (count == 0) continue;
        if (size_t at = shot.text.find(shot.config); at != std::string::npos)
            shot.text.replace(at, shot.config.size(), clean.text);
        shot.config = clean.text;
    }
}

// How many samples to ask for in a job's next round.
int next_request(const Job& job, const ValidateOptions& options, const Backend* backend) {
    int valid = static_cast<int>(job.samples.answers.size());
    int missing = options.samples - valid;
    int budget = options.samples + options.invalid_retries - job.requested;
    if (missing <= 0 || budget <= 0) return 0;
    if (job.round == 0 && options.early_stop && backend && backend->max_samples_per_request() < 2 &&
        options.samples > 2)
        return options.samples / 2 + 1;  // a majority first; the rest only if it can still matter
    return std::min(missing, budget);
}

void submit_round(Job& job, int count, const Item& item, const ValidateOptions& options, LlmClient& client) {
    LlmRequest req;
    req.prompt = item.prompts.chunks[job.chunk].prompt;
    req.samples = count;
    req.temperature = options.temperature;
    req.max_tokens = options.max_tokens;
    req.round = job.round;
    job.requested += count;
    ++job.round;
    job.pending.push_back(client.submit(options.models[job.voter].spec, std::move(req)));
}

// Reads a finished round: usage counted from the responses themselves (so a run's figures
// are its own even when the client is shared), each sample extracted, checked and grounded.
void collect_round(Job& job, const Item& item, const ValidateOptions& options, const LlmClient& client,
                   RunUsage& usage) {
    for (auto& f : job.pending) {
        LlmResponse r = f.get();
        if (!r.ok()) job.errors.push_back(std::string(to_string(r.error)) + ": " + r.error_message);
        if (r.error == ErrorKind::timeout && past(options.deadline - std::chrono::milliseconds(5))) job.cut = true;
        if (r.cached) {
            ++usage.cached_requests;
        } else {
            usage.requests += r.attempts;
            usage.prompt_tokens += r.usage.prompt;
            usage.completion_tokens += r.usage.completion;
            usage.cached_prompt_tokens += r.usage.cached_prompt;
            if (auto price = client.options().prices.lookup(options.models[job.voter].spec))
                usage.cost_usd += estimate_cost(*price, r.usage);
        }
        for (const auto& text : r.samples) {
            ++usage.answers;
            auto answer = extract_answer(text);
            if (!answer || !check_answer(*answer, options.check)) {
                ++job.samples.invalid;
                ++usage.invalid_answers;
                continue;
            }
            usage.reported += static_cast<long>(answer->params.size());
            GroundedAnswer g = filter_hallucinations(*answer, item.chunk_files[job.chunk]);
            usage.hallucinated += static_cast<long>(g.dropped.size());
            job.samples.answers.push_back(std::move(g));
        }
    }
    job.pending.clear();
}

// Turns a vote into reported findings with the file's own lines and values.
void add_findings(FileResult& result, const Verdict& verdict) {
    for (const auto& f : verdict.findings) {
        auto same = [&](const ReportedFinding& r) { return r.parameter == f.parameter && r.line == f.line; };
        if (std::ranges::any_of(result.findings, same)) continue;
        ReportedFinding rf;
        static_cast<Finding&>(rf) = f;
        result.findings.push_back(std::move(rf));
    }
}

// A run's state between stages: the files, the LLM jobs over their chunks, the rules' verdicts.
struct Run {
    std::vector<Item> items;
    std::vector<Job> jobs;
    std::vector<std::optional<RulesVerdict>> rules;
    std::vector<std::optional<VoterOpinions>> rules_opinions;  // the rules' verdict, typed for the vote
    RunUsage usage;
};

// Stage load: parsing is CPU work on independent files, so it runs in parallel; a file that
// fails becomes an error result and the others go on.
void load_stage(Run& run, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), run.items.size(), [&](size_t i) {
        Item& it = run.items[i];
        if (past(options.deadline)) {
            it.result.path = it.path == "-" ? options.stdin_name : it.path;
            it.result.verdict = Outcome::inconclusive;
            it.result.notes.push_back(kUnfinished);
            it.unfinished = true;
            return;
        }
        LoadOptions load = load_options_for(it.path, options);
        it.file = it.path == "-" ? load_config_bytes(options.stdin_name, options.stdin_text, load) : load_config(it.path, load);
        it.result.path = it.path == "-" ? options.stdin_name : it.path;
        if (!it.file) {
            it.result.verdict = Outcome::error;
            it.result.error = it.file.error().message;
            it.result.error_line = it.file.error().line;
            return;
        }
        it.result.system = it.file->system;
        it.result.version = it.file->version;
        it.result.format = it.file->format;
        it.result.param_count = static_cast<int>(it.file->params.size());
        add_syntax_findings(it.result, *it.file);
        for (const auto& n : it.file->notes) it.result.notes.push_back(n);
        // A verdict on a file of unknown software rests on far less: say so, and how to fix it.
        if (it.file->system.empty())
            it.result.notes.push_back(undetected_system_note(!options.models.empty(), options.rules));
    });
}

// Stage redact: secret-looking values are replaced before anything can leave the machine;
// nothing after this stage sees a secret value.
void redact_stage(Run& run, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), run.items.size(), [&](size_t i) {
        Item& it = run.items[i];
        if (!it.file) return;
        int redacted = 0;
        it.sent = options.redact ? redact(*it.file, &redacted) : *it.file;
        if (redacted) it.result.notes.push_back(std::to_string(redacted) + " secret value(s) redacted before sending");
        mark_secrets(it.result, *it.file);  // reports mask them, --no-redact or not
    });
}

// Stage prompt: only when an LLM will read them; the template is loaded once for the run and
// shots are redacted like the file, since they leave the machine with it.
void prompt_stage(Run& run, const ValidateOptions& options) {
    if (options.models.empty()) return;
    // The prompts state the facts given with --context, as the rules use them.
    PromptOptions prompt_options = options.prompt;
    if (auto facts = resolve_facts(options.context, default_spec_dir())) prompt_options.context = facts->describe();
    auto tpl = load_template(options.prompt.prompt, options.prompt.prompt_dirs);
    if (!tpl) throw UserError(tpl.error().format());
    // Each pool is read, redacted and indexed once for the run, then shared by every file.
    ShotLibrary::Prepare prepare;
    if (options.redact) prepare = redact_shots;
    ShotLibrary library(options.prompt.shots_dir.empty() ? default_shots_dir() : std::filesystem::path(options.prompt.shots_dir),
                        prepare);
    std::optional<std::vector<Shot>> given = options.prompt.shots;
    if (given && prepare) prepare(*given);
    tbb::parallel_for(size_t(0), run.items.size(), [&](size_t i) {
        Item& it = run.items[i];
        if (!it.file) return;
        std::vector<Shot> shots;
        std::vector<std::string> notes;
        if (given) {
            shots = *given;
        } else {
            auto chosen = library.select(it.sent, options.prompt.selection);
            if (!chosen) throw UserError(chosen.error().format());
            shots = std::move(chosen->shots);
            notes = std::move(chosen->notes);
        }
        it.prompts = build_prompts(it.sent, *tpl, std::move(shots), prompt_options);
        for (auto& n : notes) it.result.notes.push_back(std::move(n));
        for (auto& n : it.prompts.notes) it.result.notes.push_back(n);
        for (const auto& c : it.prompts.chunks) it.chunk_files.push_back(chunk_file(it.sent, c));
    });
}

// One job per (file, chunk, LLM), so each LLM's samples on each chunk vote as one backend.
std::vector<Job> make_jobs(const std::vector<Item>& items, const ValidateOptions& options) {
    std::vector<Job> jobs;
    for (size_t i = 0; i < items.size(); ++i)
        for (size_t c = 0; c < items[i].prompts.chunks.size(); ++c)
            for (size_t v = 0; v < options.models.size(); ++v) {
                Job job;
                job.item = i, job.chunk = c, job.voter = v;
                // Voters are named as people write them; the base URL only adds noise.
                job.samples.name = options.models[v].spec.provider + "/" + options.models[v].spec.model;
                job.samples.weight = options.models[v].weight;
                jobs.push_back(std::move(job));
            }
    return jobs;
}

// Stage query: every file's first round goes out at once so the backends' in-flight limits,
// not the files, bound the run; later rounds replace invalid answers or finish votes that
// early stopping could not settle.
void query_stage(Run& run, const ValidateOptions& options, LlmClient& client) {
    run.jobs = make_jobs(run.items, options);
    std::vector<const Backend*> backends;
    for (const auto& m : options.models) {
        auto b = client.backend(m.spec);
        backends.push_back(b ? *b : nullptr);
    }
    size_t answered = 0, files = run.items.size();
    for (bool active = true; active;) {
        active = false;
        for (auto& job : run.jobs) {
            if (job.done) continue;
            int n = next_request(job, options, backends[job.voter]);
            if (n == 0 || !job.errors.empty()) {
                job.done = true;
                continue;
            }
            if (past(options.deadline)) {  // nothing more is asked once the run is out of time
                job.done = job.cut = true;
                continue;
            }
            submit_round(job, n, run.items[job.item], options, client);
            active = true;
        }
        for (auto& job : run.jobs) {
            if (job.pending.empty()) continue;
            collect_round(job, run.items[job.item], options, client, run.usage);
            // Progress counts first answers: later rounds are few and short.
            if (job.round == 1 && options.progress) options.progress(++answered * files / run.jobs.size(), files);
            // Early stop: the samples still planned could not change this backend's vote.
            int remaining = options.samples - static_cast<int>(job.samples.answers.size());
            if (options.early_stop && remaining > 0 && job.errors.empty() &&
                can_stop_early(job.samples.answers, remaining, options.vote)) {
                run.usage.saved_requests += remaining;
                job.done = true;
            }
        }
    }
}

// Stage rules: the deterministic voter is local and cheap, so it checks every file, in parallel;
// each system's spec tables are loaded once.
void rules_stage(Run& run, const ValidateOptions& options) {
    run.rules.assign(run.items.size(), std::nullopt);
    run.rules_opinions.assign(run.items.size(), std::nullopt);
    if (!options.rules) return;
    std::map<std::string, SpecSet> specs;
    for (const auto& it : run.items)
        if (it.file && !specs.contains(it.file->system)) {
            auto spec = load_spec_set(it.file->system, options.spec_paths);
            if (!spec) throw UserError(spec.error().format());
            specs.emplace(it.file->system, std::move(*spec));
        }
    // Facts the files do not hold: resolved once; a rule that needs a missing one says so.
    auto facts = resolve_facts(options.context, default_spec_dir());
    if (!facts) throw UserError(facts.error().message);
    // A job is several files: each file's rules see the facts the others state, and the files
    // must agree (job.hpp).
    auto& items = run.items;
    std::vector<const ConfigFile*> files;
    for (const auto& it : items) files.push_back(it.file ? &*it.file : nullptr);
    std::vector<Facts> file_facts(items.size(), *facts);
    std::vector<std::vector<RuleFinding>> job_findings(items.size());
    std::vector<bool> grouped(items.size(), false);
    auto groups = group_jobs(files, options.jobs, options.directory_jobs);
    for (const auto& group : groups)
        for (size_t i : group) grouped[i] = true;
    // A file alone is still checked against itself (a pod's GPU limit against its command).
    for (size_t i = 0; i < items.size(); ++i)
        if (files[i] && !grouped[i]) job_findings[i] = analyze_job({files[i]}, *facts).findings[files[i]->path];
    for (const auto& group : groups) {
        std::vector<const ConfigFile*> members;
        for (size_t i : group) members.push_back(files[i]);
        JobAnalysis job = analyze_job(members, *facts);
        for (size_t i : group) {
            file_facts[i] = job.facts;
            job_findings[i] = job.findings[files[i]->path];
            std::string others;
            for (size_t j : group)
                if (j != i) others += (others.empty() ? "" : ", ") + files[j]->path;
            items[i].result.notes.push_back("checked as one job with " + others);
        }
    }
    tbb::parallel_for(size_t(0), run.items.size(), [&](size_t i) {
        const auto& file = run.items[i].file;
        if (!file) return;
        const SpecSet& spec = specs.at(file->system);
        RulesOptions ropts;
        ropts.facts = &file_facts[i];
        run.rules[i] = check_file(*file, spec, ropts);
        merge_job_findings(*run.rules[i], job_findings[i]);
        for (const auto& n : run.rules[i]->notes) items[i].result.notes.push_back("rules: " + n);
        run.rules_opinions[i] = rules_opinions(*file, spec, *run.rules[i], options.rules_voter.weight);
    });
}

// One chunk's vote: each LLM's opinions on the chunk it read and the rules' on its part of the
// file. Never falsely valid: a chunk some configured LLM did not answer is at best inconclusive
// unless the LLMs that did answer reach the quorum.
Verdict vote_chunk(const Item& it, size_t c, const std::vector<const Job*>& jobs,
                   const std::optional<VoterOpinions>& rules, const ValidateOptions& options, FileResult& result) {
    const ConfigFile& scope = it.chunk_files.empty() ? *it.file : it.chunk_files[c];
    std::vector<VoterOpinions> voters;
    std::string silent;
    int asked = 0, answered = 0;
    for (const Job* job : jobs) {
        if (job->chunk != c) continue;
        const BackendSamples& s = job->samples;
        voters.push_back(llm_opinions(s.name, s.weight, s.answers, s.invalid, &scope));
        ++asked;
        if (voters.back().answered) ++answered;
        else silent += (silent.empty() ? "" : ", ") + s.name;
        for (const auto& e : job->errors) result.notes.push_back(s.name + ": " + e);
    }
    if (rules) voters.push_back(opinions_within(*rules, scope));
    Verdict v = vote(voters, options.vote);
    int quorum = std::max(1, options.quorum > 0 ? std::min(options.quorum, asked) : asked);
    if (asked > 0 && answered < quorum && v.status == VerdictStatus::valid) {
        v.status = VerdictStatus::inconclusive;
        v.why = "no valid answer from " + silent + " (" + std::to_string(answered) + " of " + std::to_string(asked) +
                " LLMs answered, " + std::to_string(quorum) + " needed to call it valid)";
    }
    return v;
}

// Decisive rules findings stand on their own: certain errors need no second opinion.
bool add_decisive(FileResult& result, const RulesVerdict& rules, const RulesVoterConfig& config) {
    bool added = false;
    auto decisive = decisive_params(rules, config);
    for (const auto& rf : rules.findings) {
        if (std::ranges::find(decisive, rf.param) == decisive.end()) continue;
        auto same = [&](const ReportedFinding& f) { return f.parameter == rf.param && f.line == rf.line; };
        if (std::ranges::any_of(result.findings, same)) continue;
        ReportedFinding f;
        f.parameter = rf.param, f.line = rf.line, f.value = rf.value, f.reason = rf.reason, f.category = rf.category;
        f.votes = config.weight, f.total = config.weight, f.voters = {"rules"};
        result.findings.push_back(std::move(f));
        added = true;
    }
    return added;
}

// Stage aggregate: per chunk the LLMs and the rules vote; the file is misconfigured when any
// chunk is, inconclusive when any chunk could not decide, valid otherwise.
void aggregate_stage(Run& run, const ValidateOptions& options) {
    std::vector<std::vector<const Job*>> by_item(run.items.size());
    for (const auto& job : run.jobs) by_item[job.item].push_back(&job);
    tbb::parallel_for(size_t(0), run.items.size(), [&](size_t i) {
        Item& it = run.items[i];
        if (!it.file) return;
        FileResult& result = it.result;
        size_t chunks = std::max<size_t>(1, it.prompts.chunks.size());
        bool any_misconfigured = !it.file->syntax_errors.empty(), any_inconclusive = false;
        for (size_t c = 0; c < chunks; ++c) {
            Verdict v = vote_chunk(it, c, by_item[i], run.rules_opinions[i], options, result);
            if (v.status == VerdictStatus::misconfigured) any_misconfigured = true;
            if (v.status == VerdictStatus::inconclusive) {
                any_inconclusive = true;
                if (!v.why.empty()) result.notes.push_back(v.why);
            }
            add_findings(result, v);
        }
        if (run.rules[i] && add_decisive(result, *run.rules[i], options.rules_voter)) any_misconfigured = true;
        if (std::ranges::any_of(by_item[i], &Job::cut)) {
            it.unfinished = any_inconclusive = true;
            result.notes.push_back(kUnfinished);
        }
        // Values in findings come from the original file, never from the redacted copy.
        for (auto& f : result.findings)
            for (const auto& p : it.file->params)
                if (p.key == f.parameter && p.line == f.line) f.value = p.value, f.secret = result.is_secret(p.key, p.line);
        std::ranges::sort(result.findings, {}, &ReportedFinding::line);
        result.verdict = any_misconfigured ? Outcome::misconfigured
                         : any_inconclusive ? Outcome::inconclusive
                                            : Outcome::valid;
    });
}

// Stage suppress: `ciri:ignore` comments and .ciri.yaml entries are the user's word on a
// finding, so they mark it suppressed (kept, not deleted) after the vote.
void suppress_stage(Run& run, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), run.items.size(), [&](size_t i) {
        Item& it = run.items[i];
        if (it.file) apply_suppressions(it.result, find_suppressions(it.file->text), options.ignore);
    });
}

// The finished files with the run's usage and the backends that went down.
RunReport make_report(Run& run, const LlmClient& client) {
    RunReport report;
    for (auto& it : run.items) report.files.push_back(std::move(it.result));
    report.usage = run.usage;
    report.unfinished = static_cast<int>(std::ranges::count_if(run.items, &Item::unfinished));
    for (const auto& b : client.report())
        if (b.down) report.backends_down.push_back(b.model + (b.down_reason.empty() ? "" : " (" + b.down_reason + ")"));
    return report;
}

}  // namespace

RunReport validate_files(const std::vector<std::string>& paths, const ValidateOptions& options, LlmClient& client) {
    auto started = std::chrono::steady_clock::now();
    Run run;
    run.items.resize(paths.size());
    for (size_t i = 0; i < paths.size(); ++i) run.items[i].path = paths[i];
    load_stage(run, options);
    redact_stage(run, options);
    prompt_stage(run, options);
    query_stage(run, options, client);
    rules_stage(run, options);
    aggregate_stage(run, options);
    suppress_stage(run, options);
    RunReport report = make_report(run, client);
    report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

std::string undetected_system_note(bool with_llm, bool with_rules) {
    std::string what;
    if (with_llm) what = "the LLMs were not told which software reads this file";
    if (with_rules) what += std::string(what.empty() ? "" : " and ") + "the rules checked only generic value shapes";
    return "system not detected: " + what +
           "; name the system with --system NAME or a `systems:` entry in .ciri.yaml (`ciri systems` lists the names)";
}

int exit_code_for(const RunReport& report, const std::vector<std::string>& fail_on) {
    auto fails = [&](const char* v) { return fail_on.empty() || std::ranges::find(fail_on, v) != fail_on.end(); };
    if (fails("error") && report.count(Outcome::error)) return kExitUsage;
    if (fails("misconfigured") && report.count(Outcome::misconfigured)) return kExitMisconfigured;
    if (fails("inconclusive") && report.count(Outcome::inconclusive)) return kExitInconclusive;
    return kExitOk;
}

}  // namespace ciri
