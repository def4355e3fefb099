#include "prompts/shot_library.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "parsers/load.hpp"
#include <optional>
#include "tests/support/temp_files.hpp"

namespace fs = std::filesystem;
using namespace ciri;
using ciri::test::TempDir;

namespace {

// A small DeepSpeed config whose batch size makes each file's text its own.
ConfigFile deepspeed_file(int i) {
    LoadOptions load;
    load.system = "deepspeed";
    auto file = load_config_bytes("ds_config_" + std::to_string(i) + ".json",
                                  "{\"train_batch_size\": " + std::to_string(8 * (i + 1)) +
                                      ", \"zero_optimization\": {\"stage\": " + std::to_string(i % 4) +
                                      "}, \"fp16\": {\"enabled\": true}}\n",
                                  load);
    REQUIRE(file);
    return *file;
}

std::vector<std::string> ids(const ShotSelection& s) {
    std::vector<std::string> out;
    for (const Shot& shot : s.shots) out.push_back(shot.system + "/" + shot.id);
    return out;
}

}  // namespace

TEST_CASE("shot library: each pool is read and prepared once, shared by every thread", "[shot_library]") {
    TempDir dir("shot-library");
    // Only deepspeed has a pool here: a Hugging Face TrainingArguments file (json too) borrows it.
    fs::create_directories(dir.path / "deepspeed");
    fs::copy(default_shots_dir() / "deepspeed" / "shots", dir.path / "deepspeed" / "shots");
    std::atomic<int> prepared = 0;
    ShotLibrary library(dir.path, [&](std::vector<Shot>& shots) {
        ++prepared;
        for (auto& s : shots) s.text += "\n(prepared)";
    });
    SelectionOptions options;

    std::vector<ConfigFile> files;
    for (int i = 0; i < 64; ++i) files.push_back(deepspeed_file(i));
    // Eight threads at once, each picking for its own files (Catch2's checks stay on this one).
    std::vector<std::optional<ShotSelection>> picked(files.size());
    std::vector<std::thread> threads;
    for (size_t t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (size_t i = t; i < files.size(); i += 8)
                if (auto s = library.select(files[i], options)) picked[i] = std::move(*s);
        });
    for (auto& t : threads) t.join();
    CHECK(prepared == 1);
    CHECK(library.loads() == 1);
    for (size_t i = 0; i < files.size(); ++i) {
        // The same choice as reading the pool afresh for the file, only prepared.
        auto alone = select_shots(files[i], dir.path, options);
        REQUIRE(alone);
        REQUIRE(picked[i]);
        CHECK(ids(*picked[i]) == ids(*alone));
        REQUIRE_FALSE(picked[i]->shots.empty());
        CHECK(picked[i]->shots[0].text.ends_with("(prepared)"));
    }
    auto first = library.pool("deepspeed");
    REQUIRE(first);
    CHECK(*first == *library.pool("deepspeed"));
    CHECK((*first)->shots.size() == (*first)->tokens.size());

    // Borrowing reads every same-format pool once too, and says so as select_shots does.
    LoadOptions load;
    load.system = "hf-trainer";
    auto trainer = load_config_bytes("training_args.json", "{\"learning_rate\": 0.0001, \"fp16\": true}\n", load);
    REQUIRE(trainer);
    auto borrowed = library.select(*trainer, options);
    REQUIRE(borrowed);
    CHECK(borrowed->borrowed_from == "deepspeed");
    CHECK(borrowed->notes.front().find("borrowed from deepspeed") != std::string::npos);
    int loads = library.loads();
    CHECK(library.select(*trainer, options));
    CHECK(library.loads() == loads);
    CHECK(prepared == 1);  // the empty pools had nothing to prepare... and deepspeed was not re-read
}

TEST_CASE("shot library: a malformed shot file fails with its path, every time it is asked", "[shot_library]") {
    TempDir dir("shot-library-bad");
    fs::create_directories(dir.path / "deepspeed" / "shots");
    ciri::test::write_file(dir.path / "deepspeed" / "shots" / "broken.shot", "kind: misconfig\nno separator\n");
    ShotLibrary library(dir.path);
    for (int i = 0; i < 2; ++i) {
        auto s = library.select(deepspeed_file(i), SelectionOptions{});
        REQUIRE_FALSE(s);
        CHECK(s.error().format().find("broken.shot") != std::string::npos);
    }
}
