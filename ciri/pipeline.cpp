#include "ciri/pipeline.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "aggregator/answer.hpp"
#include "aggregator/hallucination.hpp"
#include "ciri/redact.hpp"
#include "ciri/rules/job.hpp"
#include "ciri/rules/learn_defaults.hpp"
#include "ciri/rules_opinions.hpp"
#include "ciri/rules/spec.hpp"
#include "ciri/suppress.hpp"
#include "ciri/syntax_findings.hpp"
#include "ciri/yielding_workers.hpp"
#include "parsers/detect.hpp"
#include "prompts/shot_library.hpp"

namespace ciri {

namespace {

// One LLM asked about one chunk of one file, over one or more rounds of requests.
struct Job {
    size_t chunk = 0, voter = 0;
    BackendSamples samples;
    int requested = 0;  // samples asked for so far
    int round = 0;
    std::vector<std::string> errors;
    bool done = false;
    bool cut = false;  // the run's deadline ended it before its samples were in
};

// One file on its way through the stages.
struct Item {
    size_t index = 0;  // its place in the input: results come out in this order
    std::string path;
    Expected<ConfigFile> file = std::unexpected(Error{"not loaded"});
    ConfigFile sent;       // what leaves the machine: the file after redaction
    BuiltPrompts prompts;  // one chunk per part of the file validated on its own
    std::vector<ConfigFile> chunk_files;  // per chunk: the parameters it covers, to ground answers
    std::vector<Job> jobs;                // one per (chunk, LLM)
    int open_jobs = 0;                    // jobs with a round on its way
    std::optional<RulesVerdict> rules;
    std::optional<VoterOpinions> rules_opinions;  // the rules' verdict, typed for the vote
    FileResult result;
    bool unfinished = false;  // the run's deadline cut it short: never valid
};

// A finished round of one job, as the client's callback hands it over.
struct Completion {
    size_t item = 0, job = 0;
    LlmResponse response;
};

// The completion queue: the client's callbacks (any thread) push, the driver takes. Shared
// with the callbacks, so one that fires after the run has thrown finds it alive.
class Completions {
  public:
    void push(Completion c) {
        {
            std::lock_guard lock(mu_);
            queue_.push_back(std::move(c));
        }
        ready_.notify_one();
    }
    // Everything queued; when `wait`, at least one (blocking until it comes).
    std::vector<Completion> take(bool wait) {
        std::unique_lock lock(mu_);
        if (wait) ready_.wait(lock, [&] { return !queue_.empty(); });
        return std::exchange(queue_, {});
    }

  private:
    std::mutex mu_;
    std::condition_variable ready_;
    std::vector<Completion> queue_;
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
    if (const SystemMapping* m = mapping_for(options.mappings, path)) {
        if (load.system.empty()) load.system = m->system;
        if (load.version.empty()) load.version = m->version;
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

// Reads a finished round: usage counted from the responses themselves (so a run's figures
// are its own even when the client is shared), each sample extracted, checked and grounded.
void collect_round(Job& job, const Item& item, const LlmResponse& r, const ValidateOptions& options,
                   const LlmClient& client, RunUsage& usage) {
    if (!r.ok()) job.errors.push_back(std::string(to_string(r.error)) + ": " + r.error_message);
    if (r.error == ErrorKind::timeout && past(options.deadline - std::chrono::milliseconds(5))) job.cut = true;
    if (r.cached) {
        ++usage.cached_requests;
    } else {
        usage.requests += r.attempts;
        usage.prompt_tokens += r.usage.prompt;
        usage.completion_tokens += r.usage.completion;
        usage.cached_prompt_tokens += r.usage.cached_prompt;
        usage.cache_write_prompt_tokens += r.usage.cache_write;
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

// What a run shares across its batches: what is read once, the files in flight, the finished
// files waiting for an earlier one, the completion queue.
struct Run {
    std::map<std::string, SpecSet> specs;  // spec tables per system, loaded once
    const ShotLibrary* shots = nullptr;    // shot pools, read once
    std::optional<Template> tpl;           // the prompt template, loaded once
    PromptOptions prompt;                  // options.prompt with the --context facts stated
    std::optional<std::vector<Shot>> given;  // shots given as a list, redacted once
    std::optional<Facts> facts;              // the --context facts for the rules
    std::vector<const Backend*> backends;    // per LLM voter; null when it has none
    std::shared_ptr<Completions> completions = std::make_shared<Completions>();
    std::map<size_t, Item> open;             // read and not yet finished, by input index
    std::vector<size_t> ready;               // open files with nothing on its way
    std::map<size_t, FileResult> finished;   // finished, waiting for an earlier file
    size_t next_report = 0;                  // the input index the report waits for
    size_t done = 0;                         // files finished, for progress
    RunUsage usage;
};

// Files loaded, prompted and checked by the rules together (the files of a GPU job stay in one).
using Batch = std::vector<Item>;

// What every file needs, read once before the first: the template, the facts, shots given as a
// list, the LLMs' backends. A bad template or unusable --context is a run-wide error.
void prepare_run(Run& run, const ValidateOptions& options, LlmClient& client) {
    auto facts = resolve_facts(options.context, default_spec_dir());
    if (!options.models.empty()) {
        // The prompts state the facts given with --context, as the rules use them.
        run.prompt = options.prompt;
        if (facts) run.prompt.context = facts->describe();
        // Files shown the same shots share their rendered text (one template per run).
        run.prompt.shot_texts = std::make_shared<ShotTexts>();
        auto tpl = load_template(options.prompt.prompt, options.prompt.prompt_dirs);
        if (!tpl) throw UserError(tpl.error().format());
        run.tpl = std::move(*tpl);
        run.given = options.prompt.shots;
        if (run.given && options.redact) redact_shots(*run.given);
        for (const auto& m : options.models) {
            auto b = client.backend(m.spec);
            run.backends.push_back(b ? *b : nullptr);
        }
    }
    if (!options.rules) return;
    if (!facts) throw UserError(facts.error().message);
    run.facts = std::move(*facts);
}

// Stage load: parsing is CPU work on independent files, so it runs in parallel; a file that
// fails becomes an error result and the others go on.
void load_stage(Batch& batch, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), batch.size(), [&](size_t i) {
        Item& it = batch[i];
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
void redact_stage(Batch& batch, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), batch.size(), [&](size_t i) {
        Item& it = batch[i];
        if (!it.file) return;
        int redacted = 0;
        it.sent = options.redact ? redact(*it.file, &redacted) : *it.file;
        if (redacted) it.result.notes.push_back(std::to_string(redacted) + " secret value(s) redacted before sending");
        mark_secrets(it.result, *it.file);  // reports mask them, --no-redact or not
    });
}

// Sends a job's next round and returns true, or marks the job done: its samples are in, it
// failed, or the run is out of time. The answers come back through the completion queue.
bool advance(Item& it, size_t j, const Run& run, const ValidateOptions& options, LlmClient& client) {
    Job& job = it.jobs[j];
    int n = next_request(job, options, run.backends[job.voter]);
    if (n == 0 || !job.errors.empty()) {
        job.done = true;
        return false;
    }
    if (past(options.deadline)) {  // nothing more is asked once the run is out of time
        job.done = job.cut = true;
        return false;
    }
    LlmRequest req;
    req.prompt = it.prompts.chunks[job.chunk].prompt;
    req.samples = n;
    req.temperature = options.temperature;
    req.max_tokens = options.max_tokens;
    req.round = job.round;
    job.requested += n;
    ++job.round;
    client.submit(options.models[job.voter].spec, std::move(req),
                  [queue = run.completions, item = it.index, j](LlmResponse r) { queue->push({item, j, std::move(r)}); });
    return true;
}

// One job per (chunk, LLM), so each LLM's samples on each chunk vote as one backend; each
// job's first round goes out at once.
void start_query(Item& it, const Run& run, const ValidateOptions& options, LlmClient& client) {
    for (size_t c = 0; c < it.prompts.chunks.size(); ++c)
        for (size_t v = 0; v < options.models.size(); ++v) {
            Job job;
            job.chunk = c, job.voter = v;
            // Voters are named as people write them; the base URL only adds noise.
            job.samples.name = options.models[v].spec.provider + "/" + options.models[v].spec.model;
            job.samples.weight = options.models[v].weight;
            it.jobs.push_back(std::move(job));
        }
    for (size_t j = 0; j < it.jobs.size(); ++j) it.open_jobs += advance(it, j, run, options, client) ? 1 : 0;
}

// Stage prompt: only when an LLM will read them; shots are redacted like the file, since they
// leave the machine with it. A file's requests go out as soon as its prompts are built.
void prompt_stage(Batch& batch, Run& run, const ValidateOptions& options, LlmClient& client) {
    if (options.models.empty()) return;
    // Each pool is read, redacted and indexed once for the run (validate_files), then shared.
    const ShotLibrary& library = *run.shots;
    // The prompts state the control dependencies the system's documents give; the tables are
    // loaded once per run (a table that does not load is said by the rules stage).
    std::map<std::string, SpecSet>& specs = run.specs;
    for (const auto& it : batch)
        if (it.file && !specs.contains(it.file->system))
            if (auto spec = load_spec_set(it.file->system, options.spec_paths)) specs.emplace(it.file->system, std::move(*spec));
    tbb::parallel_for(size_t(0), batch.size(), [&](size_t i) {
        Item& it = batch[i];
        if (!it.file) return;
        std::vector<Shot> shots;
        std::vector<std::string> notes;
        if (run.given) {
            shots = *run.given;
        } else {
            auto chosen = library.select(it.sent, options.prompt.selection);
            if (!chosen) throw UserError(chosen.error().format());
            shots = std::move(chosen->shots);
            notes = std::move(chosen->notes);
        }
        PromptOptions file_options = run.prompt;
        if (auto spec = specs.find(it.sent.system); spec != specs.end())
            for (auto& line : documented_dependencies(it.sent, spec->second)) file_options.context.push_back(std::move(line));
        it.prompts = build_prompts(it.sent, *run.tpl, std::move(shots), file_options);
        for (auto& n : notes) it.result.notes.push_back(std::move(n));
        for (auto& n : it.prompts.notes) it.result.notes.push_back(n);
        for (const auto& c : it.prompts.chunks) it.chunk_files.push_back(chunk_file(it.sent, c));
        start_query(it, run, options, client);
    });
}

// Stage query: each round is read as soon as it is in, and its job's next round (replacing
// invalid answers, or finishing a vote early stopping could not settle) goes out at once, so
// no job waits for another. Returns the files whose jobs are all done; when `wait` and none
// is, waits for an answer.
std::vector<size_t> query_stage(Run& run, const ValidateOptions& options, LlmClient& client, bool wait) {
    std::vector<size_t> done = std::exchange(run.ready, {});
    for (auto& c : run.completions->take(wait && done.empty())) {
        Item& it = run.open.at(c.item);
        Job& job = it.jobs[c.job];
        collect_round(job, it, c.response, options, client, run.usage);
        // Early stop: the samples still planned could not change this backend's vote.
        int remaining = options.samples - static_cast<int>(job.samples.answers.size());
        bool settled = options.early_stop && remaining > 0 && job.errors.empty() &&
                       can_stop_early(job.samples.answers, remaining, options.vote);
        if (settled) {
            run.usage.saved_requests += remaining;
            job.done = true;
        }
        if ((settled || !advance(it, c.job, run, options, client)) && --it.open_jobs == 0) done.push_back(c.item);
    }
    return done;
}

// Stage rules: the deterministic voter is local and cheap, so it checks every file, in parallel;
// each system's spec tables are loaded once.
void rules_stage(Batch& batch, Run& run, const ValidateOptions& options) {
    if (!options.rules) return;
    std::map<std::string, SpecSet>& specs = run.specs;
    for (const auto& it : batch)
        if (it.file && !specs.contains(it.file->system)) {
            auto spec = load_spec_set(it.file->system, options.spec_paths);
            if (!spec) throw UserError(spec.error().format());
            specs.emplace(it.file->system, std::move(*spec));
        }
    // Facts the files do not hold: resolved once (prepare_run); a rule that needs a missing one
    // says so.
    const Facts& facts = *run.facts;
    // A job is several files: each file's rules see the facts the others state, and the files
    // must agree (job.hpp).
    auto& items = batch;
    std::vector<const ConfigFile*> files;
    for (const auto& it : items) files.push_back(it.file ? &*it.file : nullptr);
    std::vector<Facts> file_facts(items.size(), facts);
    std::vector<std::vector<RuleFinding>> job_findings(items.size());
    std::vector<bool> grouped(items.size(), false);
    auto groups = group_jobs(files, options.jobs, options.directory_jobs);
    for (const auto& group : groups)
        for (size_t i : group) grouped[i] = true;
    // A file alone is still checked against itself (a pod's GPU limit against its command).
    for (size_t i = 0; i < items.size(); ++i)
        if (files[i] && !grouped[i]) job_findings[i] = analyze_job({files[i]}, facts).findings[files[i]->path];
    for (const auto& group : groups) {
        std::vector<const ConfigFile*> members;
        for (size_t i : group) members.push_back(files[i]);
        JobAnalysis job = analyze_job(members, facts);
        for (size_t i : group) {
            file_facts[i] = job.facts;
            job_findings[i] = job.findings[files[i]->path];
            std::string others;
            for (size_t j : group)
                if (j != i) others += (others.empty() ? "" : ", ") + files[j]->path;
            items[i].result.notes.push_back("checked as one job with " + others);
        }
    }
    tbb::parallel_for(size_t(0), items.size(), [&](size_t i) {
        Item& it = items[i];
        if (!it.file) return;
        const SpecSet& spec = specs.at(it.file->system);
        RulesOptions ropts;
        ropts.facts = &file_facts[i];
        it.rules = check_file(*it.file, spec, ropts);
        merge_job_findings(*it.rules, job_findings[i]);
        for (const auto& n : it.rules->notes) it.result.notes.push_back("rules: " + n);
        it.rules_opinions = rules_opinions(*it.file, spec, *it.rules, options.rules_voter.weight);
    });
}

// The batch's files join the files in flight; those with nothing on its way are done now.
void admit(Batch& batch, Run& run) {
    for (auto& it : batch) {
        if (it.open_jobs == 0) run.ready.push_back(it.index);
        size_t index = it.index;
        run.open.emplace(index, std::move(it));
    }
}

// One chunk's vote: each LLM's opinions on the chunk it read and the rules' on its part of the
// file. Never falsely valid: a chunk some configured LLM did not answer is at best inconclusive
// unless the LLMs that did answer reach the quorum.
Verdict vote_chunk(const Item& it, size_t c, const ValidateOptions& options, FileResult& result) {
    const ConfigFile& scope = it.chunk_files.empty() ? *it.file : it.chunk_files[c];
    std::vector<VoterOpinions> voters;
    std::string silent;
    int asked = 0, answered = 0;
    for (const Job& job : it.jobs) {
        if (job.chunk != c) continue;
        const BackendSamples& s = job.samples;
        voters.push_back(llm_opinions(s.name, s.weight, s.answers, s.invalid, &scope));
        ++asked;
        if (voters.back().answered) ++answered;
        else silent += (silent.empty() ? "" : ", ") + s.name;
        for (const auto& e : job.errors) result.notes.push_back(s.name + ": " + e);
    }
    if (it.rules_opinions) voters.push_back(opinions_within(*it.rules_opinions, scope));
    Verdict v = vote(voters, options.vote);
    int quorum = std::max(1, options.quorum > 0 ? std::min(options.quorum, asked) : asked);
    if (asked > 0 && answered < quorum && v.status == VerdictStatus::valid) {
        v.status = VerdictStatus::inconclusive;
        v.why = "no valid answer from " + silent + " (" + std::to_string(answered) + " of " + std::to_string(asked) +
                " LLMs answered, " + std::to_string(quorum) + " needed to call it valid)";
    }
    return v;
}

// Decisive rules findings stand on their own: certain errors need no second opinion. The LLMs
// that read the parameter still count in the tally, and those that called it fine are named.
bool add_decisive(FileResult& result, const Item& it, const RulesVoterConfig& config) {
    bool added = false;
    auto decisive = decisive_params(*it.rules, config);
    if (decisive.empty()) return false;
    // Each LLM's opinions on the chunk it read, built once for all the decisive findings.
    std::vector<VoterOpinions> llms;
    for (const Job& job : it.jobs) {
        const ConfigFile& scope = it.chunk_files.empty() ? *it.file : it.chunk_files.at(job.chunk);
        const BackendSamples& s = job.samples;
        llms.push_back(llm_opinions(s.name, s.weight, s.answers, s.invalid, &scope));
    }
    for (const auto& rf : it.rules->findings) {
        if (std::ranges::find(decisive, rf.param) == decisive.end()) continue;
        auto same = [&](const ReportedFinding& f) { return f.parameter == rf.param && f.line == rf.line; };
        if (std::ranges::any_of(result.findings, same)) continue;
        ReportedFinding f;
        f.parameter = rf.param, f.line = rf.line, f.value = rf.value, f.reason = rf.reason, f.category = rf.category;
        f.votes = config.weight, f.total = config.weight, f.voters = {"rules"};
        for (const VoterOpinions& llm : llms) {
            const Opinion& o = llm.on(rf.param);
            if (!llm.answered || o.stance == Stance::abstain) continue;
            f.total += llm.weight;
            f.votes += llm.weight * o.share;
            if (o.share > 0) f.voters.push_back(llm.name);
            else f.dissent.push_back(llm.name);
        }
        result.findings.push_back(std::move(f));
        added = true;
    }
    return added;
}

// Stage aggregate: per chunk the LLMs and the rules vote; the file is misconfigured when any
// chunk is, inconclusive when any chunk could not decide, valid otherwise.
void aggregate_stage(Run& run, const std::vector<size_t>& done, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), done.size(), [&](size_t i) {
        Item& it = run.open.at(done[i]);
        if (!it.file) return;
        FileResult& result = it.result;
        size_t chunks = std::max<size_t>(1, it.prompts.chunks.size());
        bool any_misconfigured = !it.file->syntax_errors.empty(), any_inconclusive = false;
        for (size_t c = 0; c < chunks; ++c) {
            Verdict v = vote_chunk(it, c, options, result);
            if (v.status == VerdictStatus::misconfigured) any_misconfigured = true;
            if (v.status == VerdictStatus::inconclusive) {
                any_inconclusive = true;
                if (!v.why.empty()) result.notes.push_back(v.why);
            }
            add_findings(result, v);
        }
        if (it.rules && add_decisive(result, it, options.rules_voter)) any_misconfigured = true;
        if (std::ranges::any_of(it.jobs, &Job::cut)) {
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
void suppress_stage(Run& run, const std::vector<size_t>& done, const ValidateOptions& options) {
    tbb::parallel_for(size_t(0), done.size(), [&](size_t i) {
        Item& it = run.open.at(done[i]);
        if (it.file) apply_suppressions(it.result, find_suppressions(it.file->text), options.ignore);
    });
}

// Stage report: a finished file waits only for the files before it, so the report and
// on_file keep the input order; its parsed file, prompts and answers are dropped now, which
// bounds a run's memory.
void report_stage(Run& run, const std::vector<size_t>& done, const ValidateOptions& options, RunReport& report,
                  size_t total) {
    for (size_t i : done) {
        Item it = std::move(run.open.extract(i).mapped());
        report.unfinished += it.unfinished ? 1 : 0;
        run.finished.emplace(i, std::move(it.result));
    }
    if (!done.empty() && options.progress) options.progress(run.done += done.size(), total);
    for (auto f = run.finished.begin(); f != run.finished.end() && f->first == run.next_report; ++run.next_report) {
        if (options.on_file) options.on_file(f->second);
        report.files.push_back(std::move(f->second));
        f = run.finished.erase(f);
    }
}

// Batches of about `size` files, the unit the file stages take together. A cut falls where the
// folder changes, so the GPU-job files of one directory stay together (group_jobs), unless one
// folder alone holds four batches' worth: that is no job, and it is cut every `size` files, so
// the first requests wait for one batch to load, not for the folder. Files named in --job lists
// may be anywhere, so with those the run is one batch.
std::vector<std::pair<size_t, size_t>> batches(const std::vector<std::string>& paths, size_t size,
                                               const ValidateOptions& options) {
    if (size == 0 || !options.jobs.empty() || paths.size() <= size) return {{0, paths.size()}};
    auto folder = [](const std::string& p) { return std::filesystem::path(p).parent_path(); };
    // For each path, whether the run of paths in its folder (paths are walked folder by folder)
    // holds four batches' worth.
    std::vector<bool> large(paths.size());
    for (size_t begin = 0, i = 1; i <= paths.size(); ++i)
        if (i == paths.size() || folder(paths[i]) != folder(paths[begin])) {
            std::fill(large.begin() + begin, large.begin() + i, i - begin >= 4 * size);
            begin = i;
        }
    std::vector<std::pair<size_t, size_t>> out;
    size_t begin = 0;
    // The first batch is an eighth: the first requests go out once it is read, not all of it.
    size_t first = std::max<size_t>(1, size / 8);
    for (size_t i = 1; i < paths.size(); ++i) {
        size_t n = i - begin, want = out.empty() ? first : size;
        bool new_folder = !options.directory_jobs || large[i] || folder(paths[i]) != folder(paths[i - 1]);
        if ((n >= want && new_folder) || n >= 4 * size) {
            out.emplace_back(begin, i);
            begin = i;
        }
    }
    out.emplace_back(begin, paths.size());
    return out;
}

}  // namespace

RunReport validate_files(const std::vector<std::string>& paths, const ValidateOptions& options, LlmClient& client) {
    auto started = std::chrono::steady_clock::now();
    // With LLMs, the files read ahead must not delay the requests and answers the run waits on.
    std::optional<YieldingWorkers> yielding;
    if (!options.models.empty()) yielding.emplace();
    RunReport report;
    ShotLibrary::Prepare prepare;
    if (options.redact) prepare = redact_shots;
    ShotLibrary shots(options.prompt.shots_dir.empty() ? default_shots_dir() : std::filesystem::path(options.prompt.shots_dir),
                      prepare);
    Run run;
    run.shots = &shots;
    prepare_run(run, options, client);
    // At most `window` files in flight (read, not finished), give or take a batch: memory stays
    // bounded, and the backends still have enough queued to keep their in-flight limits busy.
    size_t cap = options.window == 0 ? paths.size() : options.window;
    auto cuts = batches(paths, options.window == 0 ? 0 : std::clamp<size_t>(options.window / 16, 1, 128), options);
    for (size_t next = 0; next < cuts.size() || !run.open.empty();) {
        if (next < cuts.size() && run.open.size() < cap) {
            Batch batch(cuts[next].second - cuts[next].first);
            for (size_t i = 0; i < batch.size(); ++i) batch[i].index = cuts[next].first + i, batch[i].path = paths[batch[i].index];
            ++next;
            // Stage load: parse (in parallel); a file that fails is an error result, the others go on.
            load_stage(batch, options);
            // Stage redact: before anything can leave the machine.
            redact_stage(batch, options);
            // Stage prompt: each file's first requests go out as soon as its prompts are built.
            prompt_stage(batch, run, options, client);
            // Stage rules: local and cheap, checked while the batch's requests are on the wire.
            rules_stage(batch, run, options);
            admit(batch, run);
        }
        // Stage query: rounds are read as they come; waits only when no more files may be read.
        bool more = next < cuts.size() && run.open.size() < cap;
        std::vector<size_t> done = query_stage(run, options, client, !more);
        // Stage aggregate: the files whose jobs are all done vote now, in parallel.
        aggregate_stage(run, done, options);
        // Stage suppress: the user's word on a finding, after the vote.
        suppress_stage(run, done, options);
        // Stage report: in input order, as soon as the files before are out; the files are dropped.
        report_stage(run, done, options, report, paths.size());
    }
    report.usage = run.usage;
    for (const auto& b : client.report()) {
        report.backends.push_back({b.model, b.requests, b.cache_hits, b.usage.prompt, b.usage.cached_prompt,
                                   b.usage.completion, b.cost_usd});
        report.backends.back().cache_write_prompt_tokens = b.usage.cache_write;
        if (b.down) report.backends_down.push_back(b.model + (b.down_reason.empty() ? "" : " (" + b.down_reason + ")"));
    }
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
