#include "ciri/backends/backend.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "aggregator/answer.hpp"
#include "aggregator/ciri_result.hpp"
#include "aggregator/hallucination.hpp"
#include "aggregator/vote.hpp"
#include "ciri/rules/check.hpp"
#include "ciri/rules/learn.hpp"
#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "tests/rules/rules_test_util.hpp"
#include "tests/support/paths.hpp"

using namespace ciri;

namespace {

LlmRequest request_with(std::string body) {
    LlmRequest r;
    r.prompt.body = std::move(body);
    return r;
}

std::string ask(const Backend& b, const std::string& body) {
    auto r = b.run_local(request_with(body), std::chrono::steady_clock::time_point::max());
    REQUIRE(r.ok());
    REQUIRE(r.samples.size() == 1);
    return r.samples[0];
}

}  // namespace

TEST_CASE("the rules backend is registered, local, and answers in the LLM format", "[rules][backend]") {
    auto spec = parse_model_spec("rules/auto");
    REQUIRE(spec.has_value());
    auto b = make_backend(*spec);
    REQUIRE(b.has_value());
    CHECK((*b)->is_local());
    CHECK((*b)->has_key());

    // The paper's template: the file, then the question.
    std::string ciri_prompt =
        "server.rpc.port=80800\nserver.web.port=8080\n\nQuestion: Are there any mistakes in the above configuration "
        "file for X version 1? Respond in a json format\nAnswer:\n```json\n";
    auto j = nlohmann::json::parse(ask(**b, ciri_prompt));
    CHECK(j["hasError"] == true);
    CHECK(j["errParameter"] == nlohmann::json::array({"server.rpc.port"}));

    // ciri's own template: the file fenced.
    std::string fenced = "File app.properties (properties format):\n```\nserver.rpc.port=8080\ncache.enabled=yes\n```\n";
    auto ok = nlohmann::json::parse(ask(**b, fenced));
    CHECK(ok["hasError"] == false);
    CHECK(ok["errParameter"].empty());
}

TEST_CASE("the rules backend is deterministic and never names a parameter the file lacks", "[rules][backend]") {
    auto b = make_backend(*parse_model_spec("rules/auto"));
    REQUIRE(b.has_value());
    std::string body = "```\na.port=ciri\nb.enabled=maybe\nc.umask=0022\n```\n";
    std::string first = ask(**b, body);
    CHECK(ask(**b, body) == first);
    auto j = nlohmann::json::parse(first);
    CHECK(j["errParameter"] == nlohmann::json::array({"a.port", "b.enabled"}));
}

TEST_CASE("the rules backend fails clearly when the prompt holds no file", "[rules][backend]") {
    auto b = make_backend(*parse_model_spec("rules/auto"));
    REQUIRE(b.has_value());
    auto r = (*b)->run_local(request_with(""), std::chrono::steady_clock::time_point::max());
    CHECK(r.error == ErrorKind::bad_request);
}

// Rules as a ninth voter beside the 8 recorded models of the artifact (`param` vote), with spec
// tables learned only from the shot pools: parameter-level F1 per system and macro.
TEST_CASE("rules voting with the 8 recorded models beat the 8 models alone", "[rules][artifact]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    const std::vector<std::string> models = {"gpt-4-0125-preview",        "gpt-3.5-turbo-0125",
                                             "claude-3-opus-20240229",    "claude-3-sonnet-20240229",
                                             "CodeLlama-34b-Instruct-hf", "CodeLlama-13b-Instruct-hf",
                                             "CodeLlama-7b-Instruct-hf",  "deepseek-coder-6.7b-instruct"};
    struct Setup {
        std::string name;
        bool rules;
        double weight;
        bool decisive;
        double decisive_confidence = 1.0;
    };
    const std::vector<Setup> setups = {{"8 models", false, 0, false},
                                       {"8 models + rules (weight 1)", true, 1, false},
                                       {"8 models + rules (weight 2)", true, 2, false},
                                       {"8 models + rules (decisive>=0.9)", true, 1, true, 0.9}};
    struct Count {
        long tp = 0, fp = 0, fn = 0;
        double f1() const {
            double p = tp + fp ? double(tp) / double(tp + fp) : 0, r = tp + fn ? double(tp) / double(tp + fn) : 0;
            return p + r ? 2 * p * r / (p + r) : 0;
        }
    };
    std::map<std::string, std::map<std::string, Count>> counts;  // setup -> system -> count
    const std::vector<std::string> systems = {"alluxio", "django", "hbase", "hcommon", "hdfs", "postgresql"};
    for (const auto& system : systems) {
        auto [spec, root, truth, options] = ciri::test::artifact_system(*shared, system);
        for (std::string kind : {"erroneous", "correct"}) {
            for (size_t n = 1; n <= truth.size(); ++n) {
                auto file = load_config((root / system / kind / std::to_string(n)).string(), options);
                REQUIRE(file.has_value());
                std::vector<BackendSamples> llms;
                for (const auto& model : models) {
                    auto result = read_ciri_result(*shared / "results" / "synthesize_config" / system / model /
                                                   "default" / kind / std::to_string(n));
                    if (!result) continue;
                    BackendSamples s{model, 1.0, {}, 0};
                    for (const auto& raw : result->deciding_round()) {
                        auto answer = extract_answer(raw);
                        if (!answer || !check_answer(*answer, CheckRules::ciri_artifact())) {
                            ++s.invalid;
                            continue;
                        }
                        s.answers.push_back(filter_hallucinations(*answer, *file));
                    }
                    llms.push_back(std::move(s));
                }
                auto rules = check_file(*file, spec);
                auto rules_answer = extract_answer(rules.answer_json());
                REQUIRE(rules_answer.has_value());
                std::set<std::string> want = kind == "erroneous" ? truth[n - 1] : std::set<std::string>{};
                for (const auto& setup : setups) {
                    auto voters = llms;
                    if (setup.rules)
                        voters.push_back({"rules", setup.weight, {filter_hallucinations(*rules_answer, *file)}, 0});
                    auto verdict = vote(voters);
                    std::set<std::string> got;
                    for (const auto& f : verdict.findings) got.insert(f.parameter);
                    if (setup.decisive)
                        for (const auto& p : decisive_params(rules, {1.0, true, setup.decisive_confidence})) got.insert(p);
                    Count& c = counts[setup.name][system];
                    for (const auto& p : got) (want.count(p) ? c.tp : c.fp)++;
                    for (const auto& p : want) c.fn += got.count(p) ? 0 : 1;
                }
            }
        }
    }
    std::ostringstream table;
    table << "parameter-level F1         ";
    for (const auto& s : systems) table << " " << s.substr(0, 7);
    table << "   macro\n";
    std::map<std::string, double> macro;
    for (const auto& setup : setups) {
        char cell[64];
        std::snprintf(cell, sizeof cell, "%-27s", setup.name.c_str());
        table << cell;
        double sum = 0;
        for (const auto& s : systems) {
            double f1 = counts[setup.name][s].f1();
            sum += f1;
            std::snprintf(cell, sizeof cell, " %7.3f", f1);
            table << cell;
        }
        macro[setup.name] = sum / double(systems.size());
        std::snprintf(cell, sizeof cell, "   %.3f\n", macro[setup.name]);
        table << cell;
    }
    std::cout << table.str();
    CHECK(macro["8 models + rules (weight 1)"] > macro["8 models"]);
    CHECK(macro["8 models + rules (decisive>=0.9)"] > macro["8 models"]);
}
