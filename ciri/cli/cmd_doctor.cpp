// `ciri doctor`: is each backend usable? Key present, does it answer, how fast, and what to
// do when it does not.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "ciri/cli/app.hpp"
#include "ciri/backends/llm_client.hpp"

namespace ciri {

namespace {

struct DoctorArgs {
    std::vector<std::string> models;
    double timeout_s = 30;
};

// What the user can do about each kind of failure.
std::string hint(ErrorKind kind, const Backend& b) {
    const auto& spec = b.spec();
    std::string key = std::string(b.key_env());
    switch (kind) {
        case ErrorKind::auth:
            return key.empty() ? "the server refused the request: check its access settings"
                               : "the key was refused: check that " + key +
                                     " holds a valid key for " + spec.base_url;
        case ErrorKind::network:
            if (spec.provider == "ollama")
                return "is Ollama running? start it with `ollama serve`, or set OLLAMA_HOST";
            return "cannot reach " + spec.base_url +
                   ": check the URL, the network, or whether the server is running";
        case ErrorKind::timeout:
            return "no answer in time: the server may be overloaded or the model still loading; "
                   "try --timeout";
        case ErrorKind::rate_limited:
            return "rate limited: wait, or lower max_in_flight / set rpm for this model";
        case ErrorKind::http_5xx:
            return "the provider had server errors: retry later";
        case ErrorKind::bad_request:
            if (spec.provider == "ollama")
                return "check the model name; pull it with `ollama pull " + spec.model + "`";
            if (spec.provider == "command")
                return "check that the program exists and is executable";
            return "the request was refused: check the model name '" + spec.model + "'";
        case ErrorKind::bad_response:
            if (spec.provider == "command")
                return "the program failed or printed nothing useful; run it by hand";
            return "the reply was not in " + spec.provider + "'s format: is " + spec.base_url +
                   " the right endpoint?";
        default:
            return "";
    }
}

// Models implied by the environment: a key for a hosted provider, or a reachable Ollama.
std::vector<std::string> implied_models(HttpClient& http, std::ostream& out) {
    std::vector<std::string> models;
    if (!env_or_empty("OPENAI_API_KEY").empty()) models.push_back("openai/gpt-4o-mini");
    if (!env_or_empty("ANTHROPIC_API_KEY").empty()) models.push_back("anthropic/claude-haiku-4-5");
    auto ollama = make_ollama_backend({"ollama", "probe", ""}, {});
    std::string host = (*ollama)->spec().base_url;
    // Only probe a local Ollama unless OLLAMA_HOST says where it is.
    if (!env_or_empty("OLLAMA_HOST").empty() || is_loopback_url(host)) {
        int lane =
            http.add_lane("ollama-probe", {.max_in_flight = 1, .retry = {.max_attempts = 1}});
        HttpRequest tags{"GET", host + "/api/tags", {}, {}};
        auto r = http.submit(lane, tags, std::chrono::steady_clock::now() + std::chrono::seconds(2))
                     .get();
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (r.error == ErrorKind::none && j.is_object() && j.contains("models") &&
            j["models"].is_array()) {
            if (j["models"].empty())
                out << "ollama at " << host
                    << ": running, but no model pulled: run `ollama pull qwen2.5-coder:7b`\n\n";
            else if (j["models"][0].is_object() && j["models"][0].value("name", "") != "")
                models.push_back("ollama/" + j["models"][0].value("name", ""));
        } else if (!env_or_empty("OLLAMA_HOST").empty()) {
            out << "ollama at " << host << ": no model list from /api/tags (" << r.error_message
                << "): is Ollama running there? start it with `ollama serve`\n\n";
        }
    }
    return models;
}

void run(const DoctorArgs& args, CommandContext& ctx) {
    auto& out = ctx.out;
    if (!(args.timeout_s > 0)) throw UserError("--timeout must be positive");
    std::vector<std::string> models = args.models;
    if (models.empty()) {
        HttpClient probe;
        models = implied_models(probe, out);
        if (models.empty()) {
            out << "no backend configured. Set one of:\n"
                << "  OPENAI_API_KEY      for openai/... (OPENAI_BASE_URL for a compatible "
                   "server)\n"
                << "  ANTHROPIC_API_KEY   for anthropic/...\n"
                << "  OLLAMA_HOST         for ollama/... (or run Ollama locally)\n"
                << "or name a model: ciri doctor --model provider/model[@base_url]\n";
            ctx.exit_code = kExitInconclusive;
            return;
        }
    }
    std::vector<ModelSpec> specs;
    for (const auto& m : models) {
        auto spec = parse_model_spec(m);
        if (!spec) throw UserError(spec.error().message);
        specs.push_back(*spec);
    }

    LlmClientOptions options;
    options.cache_mode = CacheMode::no_cache;
    options.limits.retry.max_attempts = 2;
    options.limits.retry.base_delay = std::chrono::milliseconds(200);
    options.default_timeout =
        std::chrono::milliseconds(static_cast<long>(std::ceil(args.timeout_s * 1000)));
    LlmClient client(options);
    LlmRequest probe;
    probe.prompt.body = "Reply with the single word: ok";
    probe.max_tokens = 5;
    probe.temperature = 0;
    // All backends are asked at once; a slow one does not hold up the report of the others.
    std::vector<std::future<LlmResponse>> answers;
    for (const auto& spec : specs) answers.push_back(client.submit(spec, probe));

    int failed = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
        LlmResponse r = answers[i].get();
        auto backend = client.backend(specs[i]);
        if (!backend) {
            out << specs[i].to_string() << "\n  problem: " << backend.error().message << "\n\n";
            ++failed;
            continue;
        }
        const Backend& b = **backend;
        out << b.spec().to_string() << "\n";
        if (b.key_env().empty())
            out << "  key:     none needed\n";
        else if (!env_or_empty(std::string(b.key_env()).c_str()).empty())
            out << "  key:     " << b.key_env() << " is set\n";
        else if (b.has_key())
            out << "  key:     none needed (local server)\n";
        else
            out << "  key:     missing: set " << b.key_env() << "\n";
        if (r.ok()) {
            std::string said = r.samples.empty() ? "" : r.samples.front().substr(0, 40);
            std::erase(said, '\n');
            out << "  answer:  ok in " << std::fixed << std::setprecision(0) << r.latency_ms
                << " ms (\"" << said << "\")\n\n";
        } else {
            ++failed;
            out << "  answer:  failed (" << to_string(r.error) << "): " << r.error_message << "\n";
            if (!b.has_key())
                out << "  fix:     export " << b.key_env() << "=<your key>\n\n";
            else
                out << "  fix:     " << hint(r.error, b) << "\n\n";
        }
    }
    out << (specs.size() - failed) << " of " << specs.size() << " backends answered\n";
    if (failed) ctx.exit_code = kExitInconclusive;
}

}  // namespace

void add_doctor_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<DoctorArgs>();
    auto* cmd = app.add_subcommand(
        "doctor", "check each backend: key present, does it answer, latency, how to fix it");
    cmd->add_option(
        "--model,-m", args->models,
        "provider/model[@base_url]; repeatable (default: what the environment implies)");
    cmd->add_option("--timeout", args->timeout_s, "seconds to wait for each backend")
        ->capture_default_str();
    cmd->callback([args, &ctx] { run(*args, ctx); });
}

}  // namespace ciri
