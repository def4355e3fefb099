#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_run.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/temp_files.hpp"

namespace fs = std::filesystem;
using ciri::test::run_ciri;

namespace {
std::string temp_file(const std::string& name, const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("ciri-cli-" + name);
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}
}  // namespace

TEST_CASE("parse --json prints an array of one object with path, format, system and params", "[cli][parse]") {
    auto path = temp_file("core-site.xml",
                          "<configuration>\n<property>\n<name>fs.defaultFS</name>\n"
                          "<value>hdfs://nn:8020</value>\n</property>\n</configuration>\n");
    auto r = run_ciri({"parse", "--json", path});
    REQUIRE(r.code == 0);
    auto all = nlohmann::json::parse(r.out);
    REQUIRE(all.is_array());  // one file or several: always an array
    REQUIRE(all.size() == 1);
    auto j = all[0];
    CHECK(j["path"] == path);
    CHECK(j["format"] == "hadoop-xml");
    CHECK(j["system"] == "hcommon");
    REQUIRE(j["params"].size() == 1);
    CHECK(j["params"][0]["key"] == "fs.defaultFS");
    CHECK(j["params"][0]["value"] == "hdfs://nn:8020");
    CHECK(j["params"][0]["line"] == 3);
}

TEST_CASE("parse of several files gives an array; a bad file is reported and the rest parsed",
          "[cli][parse]") {
    auto good = temp_file("a.properties", "alluxio.worker.memory.size=1GB\n");
    auto bad = temp_file("bad.xml", "<configuration>\n<property>\n<name>x</name>\n</configuration>\n");
    auto r = run_ciri({"parse", "--json", bad, good, "/nonexistent/zoo.cfg"});
    CHECK(r.code == 2);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.is_array());
    // The broken XML is read up to its error, which is reported with its line.
    REQUIRE(j.size() == 2);
    CHECK(j[0]["syntax_errors"].size() == 1);
    CHECK(r.err.find("bad.xml:2: syntax error:") != std::string::npos);
    CHECK(j[1]["system"] == "alluxio");
    auto only_syntax = run_ciri({"parse", bad});
    CHECK(only_syntax.code == 1);
    // Each failure names the file, and the line where the input is at fault.
    CHECK(r.err.find(bad + ":") != std::string::npos);
    CHECK(r.err.find("error:") != std::string::npos);
    CHECK(r.err.find("/nonexistent/zoo.cfg: error:") != std::string::npos);
}

TEST_CASE("parse honours --format, --system and --max-size", "[cli][parse]") {
    auto path = temp_file("settings.txt", "a = 1\nb = 'two'\n");
    auto r = run_ciri({"parse", "--json", "--input-format", "conf", "--system", "custom", path});
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out).at(0);
    CHECK(j["format"] == "conf");
    CHECK(j["system"] == "custom");
    CHECK(j["params"].size() == 2);

    auto small = run_ciri({"parse", "--max-size", "4", path});
    CHECK(small.code == 2);
    CHECK(small.err.find("--max-size") != std::string::npos);
}

TEST_CASE("human output lists line, key and value", "[cli][parse]") {
    auto path = temp_file("zoo.cfg", "tickTime=2000\nclientPort=2181\n");
    auto r = run_ciri({"parse", path});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("system zookeeper") != std::string::npos);
    CHECK(r.out.find("  2: clientPort = 2181\n") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with ciri: error:, help and version exit 0", "[cli]") {
    auto none = run_ciri({});
    CHECK(none.code == 2);
    CHECK(none.err.starts_with("ciri: error: "));
    CHECK(run_ciri({"parse", "--no-such-flag", "x"}).code == 2);
    auto help = run_ciri({"--help"});
    CHECK(help.code == 0);
    CHECK(help.out.find("Exit codes:") != std::string::npos);
    auto sub = run_ciri({"parse", "--help"});
    CHECK(sub.code == 0);
    CHECK(sub.out.find("--input-format") != std::string::npos);
    auto version = run_ciri({"--version"});
    CHECK(version.code == 0);
    CHECK(version.out.starts_with("ciri "));
}

TEST_CASE("every bundled example parses and is recognised", "[cli][parse][examples]") {
    int files = 0;
    for (const auto& entry : fs::directory_iterator(ciri::test::source_dir() / "examples")) {
        INFO(entry.path());
        auto r = run_ciri({"parse", "--json", entry.path().string()});
        REQUIRE(r.code == 0);
        auto j = nlohmann::json::parse(r.out).at(0);
        CHECK_FALSE(j["system"].get<std::string>().empty());
        CHECK(j["params"].size() >= 5);
        ++files;
    }
    CHECK(files >= 8);
}

TEST_CASE("parse reads standard input up to --max-size plus one byte, never further", "[cli][parse]") {
    // A 64 MB file on stdin, shared with a `wc -c` that runs after ciri: what ciri left
    // unread is what wc counts. ciri may buffer a little past the limit, never the whole input.
    ciri::test::TempDir tmp("cli-stdin-bound");
    const fs::path& dir = tmp.path;
    fs::path big = dir / "zeros", left = dir / "left", err = dir / "err";
    {
        std::ofstream out(big, std::ios::binary);
        std::string chunk(1 << 20, 'a');
        for (int i = 0; i < 64; ++i) out << chunk;
    }
    std::string ciri = (fs::path(CIRI_BINARY_DIR) / "ciri").string();
    std::string cmd = "{ " + ciri + " parse --input-format yaml --max-size 1000 - 2>" + err.string() +
                      "; echo $? >" + (dir / "code").string() + "; wc -c >" + left.string() + "; } <" + big.string();
    REQUIRE(std::system(cmd.c_str()) == 0);
    using ciri::test::read_file;
    CHECK(std::stoi(read_file(dir / "code")) == 2);
    CHECK(read_file(err).find("over the size limit of 1000 bytes") != std::string::npos);
    CHECK(std::stoll(read_file(left)) >= (64ll << 20) - (1 << 20));
}
