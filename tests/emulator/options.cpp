#include "tests/emulator/options.hpp"

#include <CLI/CLI.hpp>

namespace ciri::emulator {

std::filesystem::path Options::dataset_dir() const {
    if (dataset) return *dataset;
    if (!recorded) return {};
    return *recorded / ".." / ".." / "datasets" / "synthesize_config";
}

std::expected<Options, int> parse_options(int argc, char** argv) {
    Options options;
    CLI::App app{
        "ciri-emulator: a loopback LLM server speaking the OpenAI, Anthropic and Ollama "
        "wire formats, for tests and benchmarks"};
    app.add_option("--host", options.host, "address to bind (loopback only)")
        ->check(CLI::IsMember({"127.0.0.1", "localhost"}))
        ->capture_default_str();
    app.add_option("--port", options.port, "port (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    app.add_option("--threads", options.threads, "connections served at once")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    app.add_option("--script", options.script, "JSON script of rules")->check(CLI::ExistingFile);
    app.add_option("--default-answer", options.default_answer, "answer when nothing else applies");
    auto* recorded =
        app.add_option("--recorded", options.recorded, "the artifact's results/synthesize_config")
            ->check(CLI::ExistingDirectory);
    auto* model = app.add_option("--recorded-model", options.recorded_model,
                                 "model whose recorded answers to replay");
    recorded->needs(model);
    model->needs(recorded);
    app.add_option("--recorded-mode", options.recorded_mode, "default or zero_shot")
        ->capture_default_str();
    app.add_option("--dataset", options.dataset, "datasets/synthesize_config to match prompts to")
        ->check(CLI::ExistingDirectory);
    app.add_option("--latency-ms", options.latency_ms, "mean delay per request")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--latency-jitter-ms", options.latency_jitter_ms, "uniform +- jitter on it")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--rpm", options.rpm, "requests admitted per 60 s (0: unlimited)")
        ->check(CLI::NonNegativeNumber);
    std::vector<std::string> faults;
    app.add_option("--fault", faults, "KIND:RATE, repeatable");
    app.add_option("--seed", options.seed, "seed of random faults and jitter")
        ->capture_default_str();
    app.add_option("--log", options.log, "JSON line per request");
    app.add_flag("--exit-with-parent", options.exit_with_parent,
                 "terminate when the parent process dies");
    try {
        app.parse(argc, argv);
        for (const std::string& fault : faults) options.faults.push_back(parse_fault_rate(fault));
    } catch (const CLI::ParseError& e) {
        return std::unexpected(app.exit(e));
    } catch (const std::invalid_argument& e) {
        return std::unexpected(app.exit(CLI::ValidationError("--fault", e.what())));
    }
    if (options.host == "localhost") options.host = "127.0.0.1";
    return options;
}

}  // namespace ciri::emulator
