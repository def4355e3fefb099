#include "ciri/report/jsonl.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/report/report_sample.hpp"

using namespace ciri;

namespace {

std::vector<nlohmann::json> lines_of(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

}  // namespace

TEST_CASE("jsonl output: one line per file as json gives it, then the summary", "[reporter][jsonl]") {
    RunReport report = test::sample_report();
    std::ostringstream out, doc;
    find_reporter("jsonl")->render(report, out, {});
    find_reporter("json")->render(report, doc, {});
    auto lines = lines_of(out.str());
    auto whole = nlohmann::json::parse(doc.str());
    REQUIRE(lines.size() == report.files.size() + 1);
    for (size_t i = 0; i < report.files.size(); ++i) {
        CHECK(lines[i]["schema_version"] == kJsonSchemaVersion);
        lines[i].erase("schema_version");
        CHECK(lines[i] == whole["files"][i]);
    }
    CHECK(lines.back()["summary"] == whole["summary"]);
    CHECK(lines.back()["usage"] == whole["usage"]);
}

TEST_CASE("jsonl writer: lines from many threads never interleave", "[reporter][jsonl]") {
    RunReport report = test::sample_report();
    std::ostringstream out;
    JsonlWriter writer(out, {});
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) writer.file(report.files[static_cast<size_t>(i) % report.files.size()]);
        });
    for (auto& t : threads) t.join();
    auto lines = lines_of(out.str());  // a torn line would not parse
    CHECK(lines.size() == 400);
}
