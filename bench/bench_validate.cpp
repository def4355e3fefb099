// ciri's defaults against the paper's way of querying, on the artifact's files, through the
// loopback emulator (started by bench/validate.sh):
//   bench_validate EMULATOR_URL ARTIFACT_DIR [FILES_PER_KIND]
//   bench_validate --script-out FILE ARTIFACT_DIR [FILES_PER_KIND] [MODEL]
// The second form writes the emulator script that replays MODEL's recorded answers to prompts
// in the compact view (--file-view compact): the emulator's --recorded finds a file by its raw
// text, which such a prompt does not hold.
// Paper mode: one file at a time, three separate one-sample requests per file, no cache, the
// `ciri` prompt with the artifact's shots, the `ciri` vote. ciri mode: validate_files with
// the defaults (three samples in one request, files in parallel under the backend's in-flight
// limit, `default` prompt, `param` vote), the rules voter off so both modes rest on the same
// LLM answers. Prints wall time, requests and prompt tokens (from the emulator's /stats), where
// the prompt tokens go (instructions, shots, the file, its parameter list), the tokens billed at
// each provider's cache prices (from the usage the replies report), and how many files got
// the same verdict, with the same lines, in every mode.
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "aggregator/answer.hpp"
#include "aggregator/hallucination.hpp"
#include "aggregator/vote.hpp"
#include "ciri/backends/prices.hpp"
#include "ciri/pipeline.hpp"
#include "ciri/redact.hpp"
#include "eval/dataset.hpp"
#include "parsers/load.hpp"
#include "prompts/prompt_builder.hpp"
#include "tests/emulator/recorded.hpp"

using namespace ciri;
using Clock = std::chrono::steady_clock;

namespace {

std::string http(const std::string& url, bool post) {
    std::string body;
    CURL* c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (post) curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(p, s * n);
        return s * n;
    });
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return body;
}

struct Figures {
    double wall = 0;
    long requests = 0, prompt_tokens = 0, cached_prompt_tokens = 0;
    Usage usage;  // as the client read it from the replies (Anthropic's cache writes included)
    std::map<std::string, std::map<std::string, int>> lines;  // path -> reported parameter -> its line
    std::map<std::string, std::set<std::string>> verdicts;  // path -> reported parameters ("?" = inconclusive)
    std::map<std::string, std::set<std::string>> param_verdicts;  // paper mode: its answers under the param vote
};

std::set<std::string> verdict_set(const Verdict& v) {
    std::set<std::string> set;
    if (v.status == VerdictStatus::inconclusive) set.insert("?");
    for (const auto& f : v.findings) set.insert(f.parameter);
    return set;
}

Figures read_stats(const std::string& url, double wall) {
    auto s = nlohmann::json::parse(http(url + "/stats", false));
    Figures f;
    f.wall = wall;
    f.requests = s["requests"];
    f.prompt_tokens = s["prompt_tokens"];
    f.cached_prompt_tokens = s["cached_prompt_tokens"];
    return f;
}

// As the paper's Ciri: for each file in turn, three requests one after another.
Figures run_paper(const std::vector<DatasetItem>& items, const ModelSpec& model, const std::string& shots,
                  const std::string& url) {
    LlmClientOptions co;
    co.cache_mode = CacheMode::no_cache;
    LlmClient client(co);
    PromptOptions po;
    po.prompt = "ciri";
    po.shots_dir = shots;
    po.selection.strategy = "random";
    std::map<std::string, std::set<std::string>> verdicts, param_verdicts;
    auto t0 = Clock::now();
    for (const auto& item : items) {
        LoadOptions lo;
        lo.system = item.system;
        lo.version = item.version;
        auto file = load_config(item.path.string(), lo);
        if (!file) continue;
        auto built = build_prompts(*file, po);
        std::vector<GroundedAnswer> answers;
        for (int i = 0; i < 3; ++i) {
            LlmRequest req;
            req.prompt = built.chunks.at(0).prompt;
            req.round = i;
            LlmResponse r = client.submit(model, req).get();
            for (const auto& text : r.samples)
                if (auto a = extract_answer(text); a && check_answer(*a))
                    answers.push_back(filter_hallucinations(*a, *file));
        }
        BackendSamples b{model.to_string(), 1, answers, 0};
        verdicts[item.path.string()] = verdict_set(vote({b}, {.method = VoteMethod::ciri}));
        param_verdicts[item.path.string()] = verdict_set(vote({b}, {.method = VoteMethod::param}));
    }
    Figures f = read_stats(url, std::chrono::duration<double>(Clock::now() - t0).count());
    for (const auto& b : client.report()) f.usage += b.usage;
    f.verdicts = std::move(verdicts);
    f.param_verdicts = std::move(param_verdicts);
    return f;
}

Figures run_ciri(const std::vector<DatasetItem>& items, const ModelSpec& model, const std::string& shots,
                 const std::string& url, const std::string& shot_selection = "category",
                 FileView view = FileView::raw) {
    LlmClientOptions co;
    co.cache_mode = CacheMode::no_cache;
    LlmClient client(co);
    ValidateOptions o;
    o.models = {{model, 1}};
    o.rules = false;
    o.prompt.shots_dir = shots;
    o.prompt.selection.strategy = shot_selection;
    set_file_view(o.prompt, view);
    std::vector<std::string> paths;
    for (const auto& item : items) {
        paths.push_back(item.path.string());
        o.mappings.push_back({item.path.string(), item.system, item.version});
    }
    auto t0 = Clock::now();
    RunReport report = validate_files(paths, o, client);
    Figures f = read_stats(url, std::chrono::duration<double>(Clock::now() - t0).count());
    for (const auto& b : client.report()) f.usage += b.usage;
    for (const auto& file : report.files) {
        auto& set = f.verdicts[file.path];
        if (file.verdict == Outcome::inconclusive) set.insert("?");
        for (const auto& finding : file.findings) {
            set.insert(finding.parameter);
            f.lines[file.path][finding.parameter] = finding.line;
        }
    }
    return f;
}

// The file as the validate pipeline sends it: loaded for its system and version, redacted.
std::optional<ConfigFile> sent_file(const DatasetItem& item) {
    LoadOptions lo;
    lo.system = item.system;
    lo.version = item.version;
    auto file = load_config(item.path.string(), lo);
    if (!file) return std::nullopt;
    return redact(*file);
}

// Estimated tokens of each part of the prompts, summed over the files.
struct Parts {
    size_t files = 0;
    double system = 0, instructions = 0, shots = 0, file = 0, params = 0, rest = 0;
    std::map<std::string, std::set<std::string>> prefixes;  // system -> distinct system+prefix texts
    std::map<std::string, size_t> least_prefix;             // system -> fewest prefix tokens
};

Parts breakdown(const std::vector<DatasetItem>& items, PromptOptions po) {
    Parts parts;
    PromptOptions bare = po;
    bare.shots = std::vector<Shot>{};
    for (const auto& item : items) {
        auto file = sent_file(item);
        if (!file) continue;
        auto built = build_prompts(*file, po);
        const Prompt& p = built.chunks.at(0).prompt;
        std::string bare_prefix = build_prompts(*file, bare).chunks.at(0).prompt.prefix;
        std::string view = po.file_view == FileView::compact ? compact_view(*file) : file->text;
        size_t list = 0;
        if (size_t at = p.body.find("Its parameters ("); at != std::string::npos)
            list = p.body.find("\n\n", at) - at;
        ++parts.files;
        parts.system += estimate_tokens(p.system);
        parts.instructions += estimate_tokens(bare_prefix);
        parts.shots += double(p.prefix.size() - bare_prefix.size()) / 4;
        parts.file += double(view.size()) / 4;
        parts.params += double(list) / 4;
        parts.rest += double(p.body.size() - view.size() - list) / 4;
        parts.prefixes[item.system].insert(p.system + "\x1f" + p.prefix);
        size_t prefix_tokens = estimate_tokens(p.system) + estimate_tokens(p.prefix);
        auto [it, fresh] = parts.least_prefix.try_emplace(item.system, prefix_tokens);
        if (!fresh) it->second = std::min(it->second, prefix_tokens);
    }
    return parts;
}

void print_parts(const char* mode, const Parts& p) {
    double n = std::max<size_t>(p.files, 1);
    std::printf("%-26s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f\n", mode, p.system / n, p.instructions / n,
                p.shots / n, p.file / n, p.params / n, p.rest / n,
                (p.system + p.instructions + p.shots + p.file + p.params + p.rest) / n);
}

// The emulator script answering compact-view prompts with the recorded answers of each file,
// the longest views first so a view that begins another's never takes its prompt.
int write_script(const std::string& out, const std::vector<DatasetItem>& items, const std::filesystem::path& artifact,
                 const std::string& model) {
    std::vector<std::pair<std::string, std::vector<std::string>>> rules;
    std::set<std::string> seen;
    size_t duplicates = 0;
    for (const auto& item : items) {
        auto file = sent_file(item);
        if (!file || file->params.empty()) continue;
        // item.id is <system>/<kind>/<N>; the results are <system>/<model>/default/<kind>/<N>.
        auto slash = item.id.find('/');
        std::filesystem::path result =
            artifact / "results" / "synthesize_config" / item.system / model / "default" / item.id.substr(slash + 1);
        std::ifstream in(result);
        if (!in) continue;
        std::stringstream text;
        text << in.rdbuf();
        auto answers = emulator::recorded_answers(text.str());
        std::string view = compact_view(*file);
        if (answers.empty()) continue;
        if (!seen.insert(view).second) {
            ++duplicates;
            continue;
        }
        rules.emplace_back(std::move(view), std::move(answers));
    }
    std::ranges::stable_sort(rules, [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    nlohmann::json doc = {{"rules", nlohmann::json::array()}};
    for (const auto& [view, answers] : rules) {
        nlohmann::json responses = nlohmann::json::array();
        for (const auto& a : answers) responses.push_back({{"answer", a}});
        doc["rules"].push_back({{"match", view}, {"responses", responses}, {"then", "cycle"}});
    }
    std::ofstream(out) << doc.dump();
    std::fprintf(stderr, "script: %zu compact views with recorded answers (%zu files with the same view left out)\n",
                 rules.size(), duplicates);
    return 0;
}

std::vector<DatasetItem> take(const Dataset& dataset, size_t per_kind) {
    std::map<std::string, size_t> taken;
    std::vector<DatasetItem> items;
    for (const auto& item : dataset.items)
        if (taken[item.system + item.kind]++ < per_kind) items.push_back(item);
    return items;
}

// Prompt tokens billed at `price`, in input-price tokens: what their cost buys at the full
// price (completion tokens left out: the same answers are replayed in every mode).
double billed(Usage usage, const Price& price) {
    usage.completion = 0;
    return estimate_cost(price, usage) * 1e6 / price.input;
}

}  // namespace

int main(int argc, char** argv) {
    bool script_mode = argc > 1 && std::string(argv[1]) == "--script-out";
    int a = script_mode ? 1 : 0;  // the script form has one argument more before ARTIFACT_DIR
    if (argc < 3 + a) {
        std::fprintf(stderr, "usage: bench_validate EMULATOR_URL ARTIFACT_DIR [FILES_PER_KIND]\n"
                             "       bench_validate --script-out FILE ARTIFACT_DIR [FILES_PER_KIND] [MODEL]\n");
        return 2;
    }
    std::filesystem::path artifact = argv[2 + a];
    size_t per_kind = argc > 3 + a ? std::stoul(argv[3 + a]) : 1000;
    auto dataset = read_dataset(artifact, {});
    if (!dataset) {
        std::fprintf(stderr, "bench_validate: %s\n", dataset.error().format().c_str());
        return 2;
    }
    std::vector<DatasetItem> items = take(*dataset, per_kind);
    if (script_mode)
        return write_script(argv[2], items, artifact, argc > 4 + a ? argv[4 + a] : "CodeLlama-7b-Instruct-hf");
    std::string url = argv[1];
    auto model = parse_model_spec("openai/bench@" + url + "/v1");
    auto claude = parse_model_spec("anthropic/bench@" + url);
    std::string shots = (artifact / "shot_pool").string();

    http(url + "/reset", true);
    Figures paper = run_paper(items, *model, shots, url);
    http(url + "/reset", true);
    Figures ours = run_ciri(items, *model, shots, url);
    http(url + "/reset", true);
    Figures stable = run_ciri(items, *model, shots, url, "stable");
    http(url + "/reset", true);
    Figures compact = run_ciri(items, *model, shots, url, "stable", FileView::compact);
    // Anthropic's wire: one sample per request, the prefix marked with cache_control, cache
    // writes and reads reported apart.
    http(url + "/reset", true);
    Figures stable_a = run_ciri(items, *claude, shots, url, "stable");
    http(url + "/reset", true);
    Figures compact_a = run_ciri(items, *claude, shots, url, "stable", FileView::compact);

    // The same answers under the same vote must give the same verdicts; the paper's own
    // `ciri` vote is shown beside, since it turns split answers into "no consistent result".
    size_t same = 0, same_as_ciri_vote = 0;
    for (const auto& [path, set] : paper.param_verdicts) {
        if (ours.verdicts.count(path) && ours.verdicts[path] == set) ++same;
        else if (std::getenv("CIRI_BENCH_VERBOSE")) {
            std::string x, y;
            for (const auto& p : set) x += p + " ";
            for (const auto& p : ours.verdicts[path]) y += p + " ";
            std::fprintf(stderr, "differs: %s: paper {%s} ciri {%s}\n", path.c_str(), x.c_str(), y.c_str());
        }
        if (ours.verdicts.count(path) && ours.verdicts[path] == paper.verdicts[path]) ++same_as_ciri_vote;
    }
    std::printf("files: %zu (%zu per system and kind)\n", items.size(), per_kind);
    std::printf("%-30s %8s %10s %14s %14s %14s\n", "mode", "wall s", "requests", "prompt tokens", "cached tokens",
                "cache writes");
    auto row = [](const char* mode, const Figures& f) {
        std::printf("%-30s %8.1f %10ld %14ld %14ld %14ld\n", mode, f.wall, f.requests, f.prompt_tokens,
                    f.cached_prompt_tokens, f.usage.cache_write);
    };
    row("paper (sequential)", paper);
    row("ciri defaults", ours);
    row("stable shots, raw", stable);
    row("stable shots, compact", compact);
    row("stable, raw, anthropic", stable_a);
    row("stable, compact, anthropic", compact_a);

    // Where the tokens go: estimated tokens per file (one prompt; the paper sends it 3 times).
    PromptOptions paper_po;
    paper_po.prompt = "ciri";
    paper_po.shots_dir = shots;
    paper_po.selection.strategy = "random";
    PromptOptions stable_po;
    stable_po.shots_dir = shots;
    stable_po.selection.strategy = "stable";
    PromptOptions compact_po = stable_po;
    set_file_view(compact_po, FileView::compact);
    Parts pp = breakdown(items, paper_po), sp = breakdown(items, stable_po), cp = breakdown(items, compact_po);
    std::printf("\nestimated tokens per prompt, mean over files:\n%-26s %8s %8s %8s %8s %8s %8s %8s\n", "mode",
                "system", "instr.", "shots", "file", "params", "rest", "total");
    print_parts("paper", pp);
    print_parts("stable shots, raw", sp);
    print_parts("stable shots, compact", cp);
    for (const auto* p : {&sp, &cp}) {
        std::printf("%s: distinct prefixes (system message + prefix) per system:", p == &sp ? "raw" : "compact");
        for (const auto& [system, set] : p->prefixes)
            std::printf(" %s %zu (%zu tokens at least)", system.c_str(), set.size(), p->least_prefix.at(system));
        std::printf("\n");
    }

    // Billed: OpenAI caches the paper's repeated prompts by itself, Anthropic only what a
    // cache_control block marks, which the paper's requests never carry.
    PriceTable prices = PriceTable::with_defaults();
    Price mini = *prices.lookup({"openai", "gpt-4o-mini", ""});
    Price mini41 = *prices.lookup({"openai", "gpt-4.1-mini", ""});
    Price sonnet = *prices.lookup({"anthropic", "claude-sonnet-4-5", ""});
    Usage paper_usage{.prompt = paper.prompt_tokens, .cached_prompt = paper.cached_prompt_tokens};
    Usage paper_anthropic{.prompt = paper.prompt_tokens};
    std::printf("\nbilled prompt tokens (at the input price; cache reads and writes at their prices) and the "
                "paper's way / ciri:\n");
    auto price_row = [](const char* what, double paper_billed, std::initializer_list<std::pair<const char*, double>> modes) {
        std::printf("%-52s paper %10.0f", what, paper_billed);
        for (const auto& [mode, b] : modes) std::printf("   %s %10.0f (%.1fx)", mode, b, paper_billed / b);
        std::printf("\n");
    };
    price_row("OpenAI gpt-4o-mini (reads 1/2):", billed(paper_usage, mini),
              {{"defaults", billed(ours.usage, mini)}, {"stable raw", billed(stable.usage, mini)},
               {"stable compact", billed(compact.usage, mini)}});
    price_row("OpenAI gpt-4.1-mini (reads 1/4):", billed(paper_usage, mini41),
              {{"defaults", billed(ours.usage, mini41)}, {"stable raw", billed(stable.usage, mini41)},
               {"stable compact", billed(compact.usage, mini41)}});
    price_row("Anthropic claude-sonnet-4-5 (reads 1/10, writes 1.25):", billed(paper_anthropic, sonnet),
              {{"stable raw", billed(stable_a.usage, sonnet)}, {"stable compact", billed(compact_a.usage, sonnet)}});

    auto same_verdicts = [&](const Figures& f) {
        size_t n = 0, lines = 0;
        for (const auto& [path, set] : ours.verdicts) {
            if (f.verdicts.count(path) && f.verdicts.at(path) == set) ++n;
            if (f.lines.count(path) ? f.lines.at(path) == ours.lines[path] : ours.lines[path].empty()) ++lines;
        }
        std::printf("same verdicts as ciri defaults (replayed answers): %zu of %zu files, the same lines: %zu\n", n,
                    ours.verdicts.size(), lines);
    };
    std::printf("\nstable shots, raw: ");
    same_verdicts(stable);
    std::printf("stable shots, compact: ");
    same_verdicts(compact);
    std::printf("stable, raw, anthropic: ");
    same_verdicts(stable_a);
    std::printf("stable, compact, anthropic: ");
    same_verdicts(compact_a);
    std::printf("paper's answers, param vote: same verdicts %zu of %zu files; same as the paper's ciri vote: %zu\n",
                same, paper.param_verdicts.size(), same_as_ciri_vote);
    return 0;
}
