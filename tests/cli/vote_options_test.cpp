#include "ciri/cli/vote_options.hpp"

#include <catch2/catch.hpp>

#include "tests/cli/cli_run.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

// Parses `argv` as a command holding only the shared options, then applies them.
ValidateOptions applied(std::vector<std::string> argv, const CiriConfig& config, LlmClientOptions& client) {
    CLI::App app;
    VoteArgs a;
    add_vote_options(&app, a, "models");
    std::reverse(argv.begin(), argv.end());
    app.parse(argv);
    ValidateOptions o;
    apply_vote_args(a, config, o, client);
    return o;
}

}  // namespace

TEST_CASE("the shared options are accepted by both validate and eval, with one help text", "[cli][vote-options]") {
    // The list, written out so that a registration dropped from the table shows here.
    std::vector<std::string> names = {"--no-redact", "--input-format", "--rules-weight", "--rules-decisive",
                                      "--no-rules-decisive", "--threshold", "--weights", "--vote", "--model",
                                      "--samples", "--quorum", "--shots", "--prompt", "--timeout", "--no-rules",
                                      "--spec", "--no-cache", "--cache-dir"};
    for (const auto& n : vote_option_names())
        if (std::ranges::find(names, n) == names.end()) names.push_back(n);
    CHECK(names.size() >= 29);
    test::TempDir dir("vote-options-help");
    auto validate = test::run_ciri_binary("", {"validate", "--help"}, dir.path);
    auto eval = test::run_ciri_binary("", {"eval", "--help"}, dir.path);
    REQUIRE(validate.code == 0);
    REQUIRE(eval.code == 0);
    for (const auto& n : names) {
        INFO(n);
        CHECK(validate.out.find(n) != std::string::npos);
        CHECK(eval.out.find(n) != std::string::npos);
        // The same meaning: the help line of the option (bar the model spec) reads the same in both.
        if (n == "--model") continue;
        auto line_of = [&](const std::string& help) {
            size_t at = help.find(" " + n + " ");
            if (at == std::string::npos) at = help.find(" " + n + "\n");
            if (at == std::string::npos) return std::string();
            return help.substr(at, help.find('\n', at) - at);
        };
        CHECK(line_of(validate.out) == line_of(eval.out));
    }
}

TEST_CASE("the shared options: a flag beats .ciri.yaml, which beats the defaults", "[cli][vote-options]") {
    LlmClientOptions client;
    ValidateOptions d = applied({}, CiriConfig{}, client);
    CHECK(d.samples == 3);
    CHECK(d.vote.method == VoteMethod::param);
    CHECK(d.redact);
    CHECK(d.rules);
    CHECK(d.rules_voter.decisive);
    CHECK(d.rules_voter.weight == 1);
    CHECK(d.prompt.file_view == FileView::raw);
    CHECK_FALSE(d.prompt.selection.compact);
    // --file-view tells the shot selection too, so stable prefixes are counted as shown.
    ValidateOptions compact = applied({"--file-view", "compact"}, CiriConfig{}, client);
    CHECK(compact.prompt.file_view == FileView::compact);
    CHECK(compact.prompt.selection.compact);

    CiriConfig config;
    config.samples = 5;
    config.vote = "ciri";
    config.rules.weight = 2;
    ValidateOptions c = applied({}, config, client);
    CHECK(c.samples == 5);
    CHECK(c.vote.method == VoteMethod::ciri);
    CHECK(c.rules_voter.weight == 2);

    ValidateOptions f = applied({"--samples", "2", "--vote", "log-odds", "--rules-weight", "0.5", "--no-redact",
                                 "--no-rules-decisive", "--threshold", "1.5", "--input-format", "yaml", "--timeout",
                                 "7", "--no-cache"},
                                config, client);
    CHECK(f.samples == 2);
    CHECK(f.vote.method == VoteMethod::log_odds);
    CHECK(f.vote.weights.voters.size() > 0);  // log-odds reads the shipped weights
    CHECK(f.vote.threshold == 1.5);
    CHECK(f.rules_voter.weight == 0.5);
    CHECK_FALSE(f.redact);
    CHECK_FALSE(f.rules_voter.decisive);
    CHECK(f.load.format == "yaml");
    CHECK(client.default_timeout == std::chrono::milliseconds(7000));
    CHECK(client.cache_mode == CacheMode::no_cache);

    CHECK(f.prompt.selection.strategy == "category");
    CHECK(f.prompt.selection.valid_shots == 1);
    CHECK(f.prompt.selection.misconfig_shots == 3);

    // The prompt's layout from .ciri.yaml, each key beaten by its flag.
    CiriConfig layout;
    layout.file_view = "compact";
    layout.shot_selection = "stable";
    layout.valid_shots = 0;
    layout.misconfig_shots = 5;
    ValidateOptions l = applied({}, layout, client);
    CHECK(l.prompt.file_view == FileView::compact);
    CHECK(l.prompt.selection.compact);
    CHECK(l.prompt.selection.strategy == "stable");
    CHECK(l.prompt.selection.valid_shots == 0);
    CHECK(l.prompt.selection.misconfig_shots == 5);
    ValidateOptions lf = applied({"--file-view", "raw", "--shot-selection", "random", "--valid-shots", "2",
                                  "--misconfig-shots", "1"},
                                 layout, client);
    CHECK(lf.prompt.file_view == FileView::raw);
    CHECK_FALSE(lf.prompt.selection.compact);
    CHECK(lf.prompt.selection.strategy == "random");
    CHECK(lf.prompt.selection.valid_shots == 2);
    CHECK(lf.prompt.selection.misconfig_shots == 1);

    CHECK_THROWS_AS(applied({"--samples", "0"}, CiriConfig{}, client), UserError);
    CHECK_THROWS_AS(applied({"--valid-shots", "-1"}, CiriConfig{}, client), UserError);
    CHECK_THROWS_AS(applied({"--weights", "/nonexistent/weights.yaml"}, CiriConfig{}, client), UserError);
}

TEST_CASE("the shared options reject the same mistakes in validate and eval", "[cli][vote-options]") {
    test::TempDir dir("vote-options-bad");
    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"--vote", "majority"}, {"--input-format", "yml"}, {"--shot-selection", "bogus"},
          {"--file-view", "short"}}) {
        auto v = test::run_ciri_binary("", [&] {
            std::vector<std::string> a{"validate", "--no-config"};
            a.insert(a.end(), bad.begin(), bad.end());
            return a;
        }(), dir.path);
        auto e = test::run_ciri_binary("", [&] {
            std::vector<std::string> a{"eval", "--dataset", ".", "--model", "rules", "--out", "o"};
            a.insert(a.end(), bad.begin(), bad.end());
            return a;
        }(), dir.path);
        INFO(bad[0] << " " << bad[1]);
        CHECK(v.code == 2);
        CHECK(e.code == 2);
        CHECK(v.err.find("(accepted: ") != std::string::npos);
        CHECK(e.err.find("(accepted: ") != std::string::npos);
    }
}
