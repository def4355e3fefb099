#include "ciri/pipeline.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>

#include "tests/backends/llm_test_env.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri;
using ciri::test::TempDir;
using ciri::test::write_file;

namespace {

const char* kRedis = "port 6379\nmaxclients 100\n";

const char* kValid = "```json\n{\"hasError\": false, \"errParameter\": [], \"reason\": []}\n```";

// A redis file whose prompt the emulator's script can pick out by its maxclients value.
std::string redis_with(int maxclients) { return "port 6379\nmaxclients " + std::to_string(maxclients) + "\n"; }

// One script rule: prompts naming `maxclients N` get `responses` in order (the last repeats).
nlohmann::json rule_for(int maxclients, nlohmann::json responses) {
    return {{"match", "maxclients " + std::to_string(maxclients) + "\n"}, {"responses", std::move(responses)}};
}

// A valid answer after `delay_ms`.
nlohmann::json slow_answer(long delay_ms) {
    return {{"answer", kValid}, {"fault", "slow"}, {"delay_ms", delay_ms}};
}

// The maxclients value each logged request asked about, in the order the requests ended.
std::vector<int> finished_requests(const std::filesystem::path& log) {
    std::vector<int> out;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
        std::string prompt = nlohmann::json::parse(line).at("prompt").get<std::string>();
        std::smatch m;  // the tests' values are 486xx..487xx, found in no shot
        out.push_back(std::regex_search(prompt, m, std::regex("maxclients (48[67][0-9][0-9])\\b")) ? std::stoi(m[1]) : -1);
    }
    return out;
}

// Options asking the emulator's model one sample per file, results recorded as they come.
ciri::ValidateOptions one_sample(const ciri::test::EmulatorProcess& emu, std::vector<std::string>& seen) {
    ValidateOptions options;
    options.models = {Voter{ciri::test::emulator_spec(emu, "openai")}};
    options.samples = 1;
    options.on_file = [&seen](const FileResult& f) { seen.push_back(f.path); };
    return options;
}

}  // namespace

TEST_CASE("pipeline: results come out window by window, before later files are read", "[pipeline][window]") {
    TempDir dir("pipeline-window");
    std::vector<std::string> paths;
    for (int i = 0; i < 5; ++i) paths.push_back((dir.path / ("d" + std::to_string(i)) / "redis.conf").string());
    for (int i = 0; i < 4; ++i) write_file(paths[static_cast<size_t>(i)], kRedis);
    auto run = [&](size_t window) {
        std::filesystem::remove(paths[4]);
        ValidateOptions options;  // the rules alone: nothing leaves the machine
        options.window = window;
        std::vector<std::string> seen;
        // The last file is written only once the first file's result is out: it can be read
        // only if results stream before the run has read every file.
        options.on_file = [&](const FileResult& f) {
            if (seen.empty()) write_file(paths[4], kRedis);
            seen.push_back(f.path);
        };
        LlmClient client;
        RunReport report = validate_files(paths, options, client);
        CHECK(seen == paths);  // every file once, in input order
        REQUIRE(report.files.size() == 5);
        return report.files[4].verdict;
    };
    CHECK(run(2) == Outcome::valid);
    CHECK(run(0) == Outcome::error);  // one window: every file was read before any result
}

TEST_CASE("pipeline: a window never splits one folder's job files unless the folder is huge", "[pipeline][window]") {
    TempDir dir("pipeline-jobs");
    // One folder holds a batch script and a DeepSpeed config that disagree on the world size.
    std::vector<std::string> paths = {
        write_file(dir.path / "a" / "redis.conf", kRedis).string(),
        write_file(dir.path / "job" / "train.sbatch",
                   "#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=8\n#SBATCH --gpus-per-node=8\n"
                   "srun deepspeed train.py --deepspeed ds_config.json\n")
            .string(),
        write_file(dir.path / "job" / "ds_config.json",
                   "{\"train_batch_size\": 100, \"train_micro_batch_size_per_gpu\": 2, "
                   "\"gradient_accumulation_steps\": 2}\n")
            .string(),
    };
    ValidateOptions options;
    options.window = 1;
    LlmClient client;
    RunReport report = validate_files(paths, options, client);
    REQUIRE(report.files.size() == 3);
    bool together = false;
    for (const auto& n : report.files[1].notes) together |= n.find("checked as one job") != std::string::npos;
    CHECK(together);
}

// The old query stage collected jobs in order: file B's second round went out only once slow
// file A had answered. Evidence from the emulator's log (requests in the order they ended), not
// from a clock: B's two rounds both end before A's one request, which sleeps 3 s.
TEST_CASE("pipeline: a file's next round does not wait for a slow unrelated file", "[pipeline][stream][emulator]") {
    TempDir dir("pipeline-rounds");
    auto log = dir.path / "requests.jsonl";
    nlohmann::json script = {{"rules",
                              {rule_for(48611, {slow_answer(3000)}),
                               rule_for(48622, {{{"answer", "not an answer"}}, {{"answer", kValid}}})}},
                             {"default", kValid}};
    ciri::test::EmulatorProcess emu(ciri::test::script_args(dir, script.dump(), {"--log", log.string()}));
    std::vector<std::string> paths = {write_file(dir.path / "a" / "redis.conf", redis_with(48611)).string(),
                                      write_file(dir.path / "b" / "redis.conf", redis_with(48622)).string()};
    std::vector<std::string> seen;
    ValidateOptions options = one_sample(emu, seen);
    LlmClient client(ciri::test::test_options());
    RunReport report = validate_files(paths, options, client);
    CHECK(finished_requests(log) == std::vector<int>{48622, 48622, 48611});
    CHECK(report.usage.invalid_answers == 1);
    CHECK(seen == paths);  // B finished first, yet A is reported first: input order
    REQUIRE(report.files.size() == 2);
    CHECK(report.files[0].verdict == Outcome::valid);
    CHECK(report.files[1].verdict == Outcome::valid);
}

// The old driver went window by window: with windows of two files, files 3-6 were read only
// once slow file 1 had answered. Now a finished file makes room for the next one, and at most
// `window` files are in flight: with two slow files out, the third waits for one of them.
TEST_CASE("pipeline: later files are sent while a slow file is out, and files in flight stay capped",
          "[pipeline][stream][emulator]") {
    TempDir dir("pipeline-flow");
    auto log = dir.path / "requests.jsonl";
    nlohmann::json script = {
        {"rules", {rule_for(48601, {slow_answer(2000)}), rule_for(48701, {slow_answer(2000)}), rule_for(48702, {slow_answer(4000)})}},
        {"default", kValid}};
    ciri::test::EmulatorProcess emu(ciri::test::script_args(dir, script.dump(), {"--log", log.string()}));
    auto run = [&](int first) {
        std::vector<std::string> paths;
        for (int i = first; i < first + 6; ++i)
            paths.push_back(write_file(dir.path / std::to_string(i) / "redis.conf", redis_with(i)).string());
        std::vector<std::string> seen;
        ValidateOptions options = one_sample(emu, seen);
        options.window = 2;
        LlmClient client(ciri::test::test_options());
        RunReport report = validate_files(paths, options, client);
        CHECK(seen == paths);  // in input order, whatever order they finished in
        REQUIRE(report.files.size() == 6);
        for (const auto& f : report.files) CHECK(f.verdict == Outcome::valid);
        auto ended = finished_requests(log);
        return std::vector<int>(ended.end() - 6, ended.end());
    };
    CHECK(run(48601) == std::vector<int>{48602, 48603, 48604, 48605, 48606, 48601});
    // File 2 is out for 4 s, file 1 for 2 s: file 3 is read only when file 1 is done.
    CHECK(run(48701) == std::vector<int>{48701, 48703, 48704, 48705, 48706, 48702});
}
