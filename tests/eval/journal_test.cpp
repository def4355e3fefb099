#include "eval/journal.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace ciri;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("ciri_eval_journal_" + std::to_string(::getpid()));
    fs::create_directories(d);
    fs::remove(d / name);
    return d / name;
}

Prediction pred(const std::string& id) {
    Prediction p;
    p.id = id;
    p.system = "hdfs";
    p.label = Label::misconfigured;
    p.truth = {"a"};
    p.reported = {"a", "b"};
    p.verdict = VerdictStatus::misconfigured;
    p.members = {{"m", VerdictStatus::misconfigured, {"a"}}};
    p.cost_usd = 0.25;
    p.file_params = 8;
    return p;
}

}  // namespace

TEST_CASE("appended predictions read back whole", "[journal]") {
    const fs::path path = temp_file("round.jsonl");
    {
        auto w = JournalWriter::open(path);
        REQUIRE(w);
        REQUIRE(w->append(pred("x/1")));
        REQUIRE(w->append(pred("x/2")));
    }
    auto j = read_journal(path);
    REQUIRE(j);
    REQUIRE(j->predictions.size() == 2);
    CHECK(j->skipped_lines == 0);
    const Prediction& p = j->predictions[0];
    CHECK(p.id == "x/1");
    CHECK(p.reported == std::vector<std::string>{"a", "b"});
    CHECK(p.members.size() == 1);
    CHECK(p.cost_usd.value() == Approx(0.25));
    CHECK(p.file_params == 8);
    CHECK(to_json(p) == to_json(pred("x/1")));
}

TEST_CASE("a torn last line (a killed run) is ignored and the next append starts clean", "[journal]") {
    const fs::path path = temp_file("torn.jsonl");
    {
        std::ofstream o(path);
        o << to_json(pred("x/1")).dump() << "\n" << to_json(pred("x/2")).dump().substr(0, 40);
    }
    auto j = read_journal(path);
    REQUIRE(j);
    CHECK(j->predictions.size() == 1);
    CHECK(j->skipped_lines == 1);
    CHECK(j->torn_tail);
    {
        auto w = JournalWriter::open(path);
        REQUIRE(w);
        REQUIRE(w->append(pred("x/2")));
    }
    j = read_journal(path);
    REQUIRE(j);
    REQUIRE(j->predictions.size() == 2);
    CHECK(j->predictions[1].id == "x/2");
    CHECK(j->skipped_lines == 1);  // the torn fragment, now a line of its own
}

TEST_CASE("SIGKILL loses no appended item", "[journal]") {
    const fs::path path = temp_file("kill.jsonl");
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto w = JournalWriter::open(path);
        for (int i = 0; w; ++i) {
            if (!w->append(pred("k/" + std::to_string(i)))) break;
            if (i == 20) (void)!::write(ready[1], "x", 1);
        }
        ::_exit(1);
    }
    char c;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(ready[0]);
    ::close(ready[1]);
    auto j = read_journal(path);
    REQUIRE(j);
    REQUIRE(j->predictions.size() >= 21);
    // The records that survived are exactly k/0..k/n-1: none skipped in between.
    for (size_t i = 0; i < j->predictions.size(); ++i) CHECK(j->predictions[i].id == "k/" + std::to_string(i));
    CHECK(j->skipped_lines <= 1);
}

TEST_CASE("write_journal replaces the file and duplicates are read once", "[journal]") {
    const fs::path path = temp_file("write.jsonl");
    REQUIRE(write_journal(path, {pred("a"), pred("b"), pred("a")}));
    auto j = read_journal(path);
    REQUIRE(j);
    CHECK(j->predictions.size() == 2);
    CHECK(read_journal(temp_file("missing.jsonl"))->predictions.empty());
}
