#include "ciri/pipeline.hpp"

#include <catch2/catch.hpp>

#include "tests/support/temp_files.hpp"

using namespace ciri;
using ciri::test::TempDir;
using ciri::test::write_file;

namespace {

const char* kRedis = "port 6379\nmaxclients 100\n";

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
