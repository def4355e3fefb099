// The labeled redaction corpus (tests/fixtures/redaction/corpus.jsonl): every value in its
// config context, in every format ciri reads, marked secret or not. Redaction must remove
// every secret from the text and the parameters (recall 1.0) and keep the look-alikes
// (precision at least 0.98).
#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "ciri/redact.hpp"
#include "parsers/load.hpp"

using namespace ciri;

TEST_CASE("redaction corpus: recall 1.0 on secrets, precision at least 0.98", "[redact][corpus]") {
    std::ifstream in(std::string(CIRI_SOURCE_DIR) + "/tests/fixtures/redaction/corpus.jsonl");
    REQUIRE(in);
    int secrets = 0, caught = 0, plain = 0, wrongly = 0;
    std::set<std::string> formats;
    std::vector<std::string> misses;
    int n = 0;
    for (std::string line; std::getline(in, line); ++n) {
        auto rec = nlohmann::json::parse(line);
        std::string value = rec["value"], text = rec["text"];
        LoadOptions load;
        load.format = rec["format"];
        auto file = load_config_bytes(rec["path"], text, load);
        INFO("line " << n + 1 << ": " << text);
        REQUIRE(file);
        formats.insert(file->format);
        ConfigFile r = redact(*file);
        auto anywhere = [&](const std::string& s) {
            if (r.text.find(s) != std::string::npos) return true;
            for (const auto& p : r.params)
                if (p.value.find(s) != std::string::npos) return true;
            return false;
        };
        if (rec["secret"]) {
            ++secrets;
            bool gone = !anywhere(value);
            for (const auto& s : rec.value("spelled", std::vector<std::string>{})) gone = gone && !anywhere(s);
            if (gone) ++caught;
            else misses.push_back("missed secret, line " + std::to_string(n + 1) + ": " + value + "\n" + r.text);
        } else {
            ++plain;
            if (!anywhere(value)) {
                ++wrongly;
                misses.push_back("redacted a non-secret, line " + std::to_string(n + 1) + ": " + value);
            }
        }
    }
    double recall = secrets ? static_cast<double>(caught) / secrets : 0;
    double precision = caught + wrongly ? static_cast<double>(caught) / (caught + wrongly) : 0;
    std::cout << "redaction corpus: " << n << " values in " << formats.size() << " formats (" << secrets
              << " secrets, " << plain << " look-alikes): recall " << recall << ", precision " << precision << "\n";
    for (const auto& m : misses) std::cout << "  " << m << "\n";
    CHECK(n >= 300);
    CHECK(formats.size() >= 14);
    CHECK(recall == 1.0);
    CHECK(precision >= 0.98);
}
