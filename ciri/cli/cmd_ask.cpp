// `ciri ask`: one raw query to one backend, for trying a model or a prompt by hand.
#include <CLI/CLI.hpp>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include "ciri/cli/app.hpp"
#include "ciri/backends/llm_client.hpp"

namespace ciri {

namespace {

struct AskArgs {
    std::string model;
    std::string prompt_file;
    std::string system_file;
    int samples = 1;
    double temperature = 0.2;
    int max_tokens = 1024;
    bool json_mode = false;
    bool no_cache = false;
    bool offline = false;
    std::string cache_dir;
    double timeout_s = 120;
};

std::string read_text(const std::string& path) {
    if (path == "-")
        return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void run(const AskArgs& args, CommandContext& ctx) {
    auto spec = parse_model_spec(args.model);
    if (!spec) throw UserError(spec.error().message);
    if (args.no_cache && args.offline)
        throw UserError("--no-cache and --offline exclude each other");
    if (args.samples < 1) throw UserError("--samples must be at least 1");
    if (!(args.timeout_s > 0)) throw UserError("--timeout must be positive");

    LlmRequest req;
    req.prompt.body = read_text(args.prompt_file);
    if (!args.system_file.empty()) req.prompt.system = read_text(args.system_file);
    req.samples = args.samples;
    req.temperature = args.temperature;
    req.max_tokens = args.max_tokens;
    req.json_mode = args.json_mode;

    LlmClientOptions options;
    options.cache_mode = args.offline    ? CacheMode::offline
                         : args.no_cache ? CacheMode::no_cache
                                         : CacheMode::normal;
    options.cache_dir = args.cache_dir;
    options.default_timeout =
        std::chrono::milliseconds(static_cast<long>(std::ceil(args.timeout_s * 1000)));
    LlmClient client(options);
    LlmResponse r = client.submit(*spec, std::move(req)).get();
    auto rows = client.report();
    const std::string model = rows.empty() ? spec->to_string() : rows.front().model;
    if (!r.ok()) {
        throw UserError(model + ": " + std::string(to_string(r.error)) + ": " + r.error_message +
                            " (after " + std::to_string(r.attempts) + " attempt" +
                            (r.attempts == 1 ? "" : "s") + ")",
                        kExitInconclusive);
    }
    auto& out = ctx.out;
    for (size_t i = 0; i < r.samples.size(); ++i) {
        out << "--- sample " << i + 1 << "/" << r.samples.size() << " ---\n" << r.samples[i];
        if (!r.samples[i].ends_with('\n')) out << "\n";
    }
    out << "---\n";
    out << "model: " << model << "\n";
    out << "latency: " << std::fixed << std::setprecision(1) << r.latency_ms
        << " ms, attempts: " << r.attempts
        << (r.cached ? ", answered from the cache (nothing sent)" : "") << "\n";
    out << "usage: " << r.usage.prompt << " prompt tokens (" << r.usage.cached_prompt
        << " cached), " << r.usage.completion << " completion tokens"
        << (r.cached ? " (as recorded; not billed again)" : "") << "\n";
    std::optional<double> cost;
    if (auto b = client.backend(*spec); b) cost = options.prices.cost((*b)->spec(), r.usage);
    if (r.cached)
        out << "cost: $0 (cached)\n";
    else if (cost && *cost == 0)
        out << "cost: $0 (local model)\n";
    else if (cost)
        out << "cost: $" << std::setprecision(6) << *cost << " (estimated)\n";
    else
        out << "cost: unknown (no price for " << spec->model << "; add one in the config file)\n";
}

}  // namespace

void add_ask_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<AskArgs>();
    auto* cmd =
        app.add_subcommand("ask", "send one prompt file to one model and print its answers");
    cmd->add_option("--model,-m", args->model, "provider/model[@base_url], e.g. openai/gpt-4o")
        ->required();
    cmd->add_option("prompt_file", args->prompt_file, "the prompt (user message); - reads stdin")
        ->required();
    cmd->add_option("--system", args->system_file, "a file holding the system message");
    cmd->add_option("--samples,-n", args->samples, "answers to ask for")->capture_default_str();
    cmd->add_option("--temperature", args->temperature, "sampling temperature")
        ->capture_default_str();
    cmd->add_option("--max-tokens", args->max_tokens, "longest answer, in tokens")
        ->capture_default_str();
    cmd->add_flag("--json", args->json_mode,
                  "ask for a JSON object (where the provider supports it)");
    cmd->add_flag("--no-cache", args->no_cache, "neither read nor write the response cache");
    cmd->add_flag("--offline", args->offline,
                  "answer from the response cache only; a miss is an error");
    cmd->add_option("--cache-dir", args->cache_dir,
                    "response cache directory (default $XDG_CACHE_HOME/ciri)");
    cmd->add_option("--timeout", args->timeout_s, "give up after this many seconds")
        ->capture_default_str();
    cmd->callback([args, &ctx] { run(*args, ctx); });
}

}  // namespace ciri
