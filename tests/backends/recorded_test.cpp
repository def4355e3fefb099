#include <catch2/catch.hpp>
#include <fstream>

#include "ciri/backends/backend.hpp"
#include "ciri/backends/recorded_answers.hpp"
#include "tests/backends/recorded_test_util.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

const std::string kResult = ciri::test::artifact_result(
    {{"{'hasError': True, 'errParameter': ['port'], 'reason': ['x']}",
      "{'hasError': False, 'errParameter': [], 'reason': []}",
      "{'hasError': True, 'errParameter': ['port'], 'reason': ['y']}"}},
    "port", "y");

const std::string kFile = "port = 99999\nmax_connections = 100\n";

fs::path answers_file() {
    const fs::path path = fs::temp_directory_path() / ("ciri_backend_recorded_" + std::to_string(::getpid()) + ".jsonl");
    auto r = parse_ciri_result(kResult);
    REQUIRE(r);
    std::ofstream(path) << to_json(make_record(*r, CiriResultId{"postgresql", "gpt-x", "default", "erroneous", 1}, kFile)).dump()
                        << "\n";
    return path;
}

LlmRequest request(const std::string& file) {
    LlmRequest req;
    req.prompt.system = "You validate configuration files.";
    req.prompt.prefix = "Shots...\n";
    req.prompt.body = "```\n" + file + "```\nQuestion: Are there any mistakes?";
    return req;
}

}  // namespace

TEST_CASE("the recorded backend answers a prompt with the recorded raw answers, in turn", "[recorded]") {
    const fs::path path = answers_file();
    auto spec = parse_model_spec("recorded/gpt-x@" + path.string());
    REQUIRE(spec);
    auto backend = make_backend(*spec);
    REQUIRE(backend);
    CHECK((*backend)->is_local());
    const auto deadline = std::chrono::steady_clock::time_point::max();
    std::vector<std::string> got;
    for (int i = 0; i < 4; ++i) {
        LlmResponse r = (*backend)->run_local(request(kFile), deadline);
        REQUIRE(r.ok());
        got.push_back(r.samples.at(0));
    }
    CHECK(got[0].find("'x'") != std::string::npos);
    CHECK(got[1].find("False") != std::string::npos);
    CHECK(got[2].find("'y'") != std::string::npos);
    CHECK(got[3] == got[0]);  // wraps around
    LlmResponse miss = (*backend)->run_local(request("port = 1\n"), deadline);
    CHECK(miss.error == ErrorKind::bad_request);

    auto final_spec = parse_model_spec("recorded/gpt-x:final@" + path.string());
    auto final_backend = make_backend(*final_spec);
    REQUIRE(final_backend);
    LlmResponse f = (*final_backend)->run_local(request(kFile), deadline);
    REQUIRE(f.ok());
    CHECK(nlohmann::json::parse(f.samples.at(0))["errParameter"] == nlohmann::json({"port"}));

    CHECK_FALSE(make_backend(*parse_model_spec("recorded/other@" + path.string())));
    CHECK_FALSE(make_backend(*parse_model_spec("recorded/gpt-x")));
    fs::remove(path);
}
