#include <catch2/catch.hpp>
#include <sstream>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"

using namespace ciri;

TEST_CASE("human output: findings per file with votes, then a summary line", "[reporter][human]") {
    std::ostringstream out;
    find_reporter("human")->render(test::sample_report(), out, {});
    std::string s = out.str();
    CHECK(s.find("conf/hdfs-site.xml (hdfs): misconfigured\n") != std::string::npos);
    CHECK(s.find("  conf/hdfs-site.xml:27: dfs.datanode.http.address = 0.0.0.0:98640: port 98640 is out of range "
                 "0-65535 [votes 2/3: openai/gpt-4o, rules]\n") != std::string::npos);
    CHECK(s.find("(suppressed: accepted risk, see TICKET-1)") != std::string::npos);
    CHECK(s.find("conf/redis.conf (redis): valid\n") != std::string::npos);
    CHECK(s.find(":12: error: expected </property>") != std::string::npos);
    CHECK(s.find("4 files: 1 misconfigured, 1 valid, 1 inconclusive, 1 unreadable; 1 suppressed; 12 requests "
                 "(3 cached), est. $0.0123\n") != std::string::npos);
    CHECK(s.find("warning: backend openai/gpt-4o was down") != std::string::npos);
    CHECK(s.find("\033[") == std::string::npos);  // no colour unless asked
}

TEST_CASE("human output colours only when asked", "[reporter][human]") {
    std::ostringstream out;
    find_reporter("human")->render(test::sample_report(), out, {.color = true});
    CHECK(out.str().find("\033[31mmisconfigured\033[0m") != std::string::npos);
}

TEST_CASE("human output never passes escape sequences from a file to the terminal", "[reporter][human]") {
    RunReport r;
    FileResult f{.path = "conf/\033]0;owned\007x.conf", .system = "", .version = "", .format = "conf",
                 .verdict = Outcome::misconfigured};
    f.findings.push_back({{"key\033[2J", 3, "v\033[1A\rhidden\xc2\x9b" "31m\x7f", "bad\nline", 1, 1, {"rules"}}, ""});
    r.files = {f};
    std::ostringstream out;
    find_reporter("human")->render(r, out, {});
    std::string s = out.str();
    CHECK(s.find('\033') == std::string::npos);
    CHECK(s.find('\r') == std::string::npos);
    CHECK(s.find('\x7f') == std::string::npos);
    CHECK(s.find("\xc2\x9b") == std::string::npos);
    CHECK(s.find("conf/\\x1b]0;owned\\x07x.conf") != std::string::npos);
    CHECK(s.find("key\\x1b[2J = v\\x1b[1A\\rhidden") != std::string::npos);
    CHECK(s.find("\\u009b31m\\x7f: bad\\nline") != std::string::npos);
}

TEST_CASE("human output: a syntax finding shows the line; skipped paths are counted, listed when verbose",
          "[reporter][human]") {
    RunReport report = test::syntax_report();
    report.skipped = {{"a/README.md", "not a configuration file (by its name)"},
                      {"a/node_modules", "tool, dependency or build folder"},
                      {"a/b.md", "not a configuration file (by its name)"},
                      {"a/locked", "unreadable folder: permission denied"}};
    std::ostringstream out;
    find_reporter("human")->render(report, out, {});
    std::string s = out.str();
    CHECK(s.find("  etcd.yaml:3: discovery: syntax error: illegal map value: discovery: file:::\n") != std::string::npos);
    CHECK(s.find("skipped 4 paths: 2 not a configuration file (by its name), 1 tool, dependency or build folder, "
                 "1 unreadable folder (--verbose lists them)\n") != std::string::npos);
    CHECK(s.find("a/README.md") == std::string::npos);
    std::ostringstream verbose;
    find_reporter("human")->render(report, verbose, {.verbose = true});
    CHECK(verbose.str().find("  skipped a/locked: unreadable folder: permission denied\n") != std::string::npos);
}
