// ciri's defaults against the paper's way of querying, on the artifact's files, through the
// loopback emulator (started by bench/validate.sh):
//   bench_validate EMULATOR_URL ARTIFACT_DIR [FILES_PER_KIND]
// Paper mode: one file at a time, three separate one-sample requests per file, no cache, the
// `ciri` prompt with the artifact's shots, the `ciri` vote. ciri mode: validate_files with
// the defaults (three samples in one request, files in parallel under the backend's in-flight
// limit, `default` prompt, `param` vote), the rules voter off so both modes rest on the same
// LLM answers. Prints wall time, requests and billed prompt tokens (from the emulator's
// /stats) and the ratios, and how many files got the same verdict.
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "aggregator/answer.hpp"
#include "aggregator/hallucination.hpp"
#include "aggregator/vote.hpp"
#include "ciri/pipeline.hpp"
#include "eval/dataset.hpp"

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
    f.verdicts = std::move(verdicts);
    f.param_verdicts = std::move(param_verdicts);
    return f;
}

Figures run_ciri(const std::vector<DatasetItem>& items, const ModelSpec& model, const std::string& shots,
                 const std::string& url, const std::string& shot_selection = "category") {
    LlmClientOptions co;
    co.cache_mode = CacheMode::no_cache;
    LlmClient client(co);
    ValidateOptions o;
    o.models = {{model, 1}};
    o.rules = false;
    o.prompt.shots_dir = shots;
    o.prompt.selection.strategy = shot_selection;
    std::vector<std::string> paths;
    for (const auto& item : items) {
        paths.push_back(item.path.string());
        o.mappings.push_back({item.path.string(), item.system, item.version});
    }
    auto t0 = Clock::now();
    RunReport report = validate_files(paths, o, client);
    Figures f = read_stats(url, std::chrono::duration<double>(Clock::now() - t0).count());
    for (const auto& file : report.files) {
        auto& set = f.verdicts[file.path];
        if (file.verdict == Outcome::inconclusive) set.insert("?");
        for (const auto& finding : file.findings) set.insert(finding.parameter);
    }
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_validate EMULATOR_URL ARTIFACT_DIR [FILES_PER_KIND]\n");
        return 2;
    }
    std::string url = argv[1];
    std::filesystem::path artifact = argv[2];
    size_t per_kind = argc > 3 ? std::stoul(argv[3]) : 1000;
    auto dataset = read_dataset(artifact, {});
    if (!dataset) {
        std::fprintf(stderr, "bench_validate: %s\n", dataset.error().format().c_str());
        return 2;
    }
    std::map<std::string, size_t> taken;
    std::vector<DatasetItem> items;
    for (const auto& item : dataset->items)
        if (taken[item.system + item.kind]++ < per_kind) items.push_back(item);
    auto model = parse_model_spec("openai/bench@" + url + "/v1");
    std::string shots = (artifact / "shot_pool").string();

    http(url + "/reset", true);
    Figures paper = run_paper(items, *model, shots, url);
    http(url + "/reset", true);
    Figures ours = run_ciri(items, *model, shots, url);
    http(url + "/reset", true);
    Figures stable = run_ciri(items, *model, shots, url, "stable");

    // The same answers under the same vote must give the same verdicts; the paper's own
    // `ciri` vote is shown beside, since it turns split answers into "no consistent result".
    size_t same = 0, same_as_ciri_vote = 0;
    for (const auto& [path, set] : paper.param_verdicts) {
        if (ours.verdicts.count(path) && ours.verdicts[path] == set) ++same;
        else if (std::getenv("CIRI_BENCH_VERBOSE")) {
            std::string a, b;
            for (const auto& p : set) a += p + " ";
            for (const auto& p : ours.verdicts[path]) b += p + " ";
            std::fprintf(stderr, "differs: %s: paper {%s} ciri {%s}\n", path.c_str(), a.c_str(), b.c_str());
        }
        if (ours.verdicts.count(path) && ours.verdicts[path] == paper.verdicts[path]) ++same_as_ciri_vote;
    }
    // Cache reads billed at half price (OpenAI) or a tenth (Anthropic; its cache writes, 1.25x
    // once per prefix, are not counted here).
    auto billed = [](const Figures& f, double read_price = 0.5) {
        return f.prompt_tokens - (1 - read_price) * f.cached_prompt_tokens;
    };
    std::printf("files: %zu (%zu per system and kind)\n", items.size(), per_kind);
    std::printf("%-22s %12s %10s %16s %16s\n", "mode", "wall s", "requests", "prompt tokens", "cached tokens");
    std::printf("%-22s %12.1f %10ld %16ld %16ld\n", "paper (sequential)", paper.wall, paper.requests,
                paper.prompt_tokens, paper.cached_prompt_tokens);
    std::printf("%-22s %12.1f %10ld %16ld %16ld\n", "ciri defaults", ours.wall, ours.requests, ours.prompt_tokens,
                ours.cached_prompt_tokens);
    std::printf("%-22s %12.1f %10ld %16ld %16ld\n", "ciri, stable shots", stable.wall, stable.requests,
                stable.prompt_tokens, stable.cached_prompt_tokens);
    std::printf("wall time: %.1fx less\n", paper.wall / ours.wall);
    std::printf("prompt tokens: %.1fx fewer; billed with cache reads at half price (OpenAI): %.1fx fewer\n",
                double(paper.prompt_tokens) / ours.prompt_tokens, billed(paper) / billed(ours));
    std::printf("stable shots: prompt tokens %.1fx fewer; billed at half price for cache reads (OpenAI) %.1fx "
                "fewer, at a tenth (Anthropic reads) %.1fx fewer than the paper's way\n",
                double(paper.prompt_tokens) / stable.prompt_tokens, billed(paper) / billed(stable),
                billed(paper, 0.1) / billed(stable, 0.1));
    size_t same_stable = 0;
    for (const auto& [path, set] : ours.verdicts)
        if (stable.verdicts.count(path) && stable.verdicts[path] == set) ++same_stable;
    std::printf("stable shots, same verdicts as ciri defaults (replayed answers): %zu of %zu files\n", same_stable,
                ours.verdicts.size());
    std::printf("same verdicts (same answers, param vote): %zu of %zu files; same as the paper's ciri vote: %zu\n",
                same, paper.param_verdicts.size(), same_as_ciri_vote);
    return 0;
}
