#include "eval/errata.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/paths.hpp"

using namespace ciri;
namespace fs = std::filesystem;

namespace {

// An errata table with `rows` (header included) in a fresh file.
fs::path errata_file(const std::string& name, const std::string& rows) {
    fs::path p = fs::temp_directory_path() / ("ciri_errata_" + name + "_" + std::to_string(::getpid()) + ".tsv");
    std::ofstream(p) << "# a comment\nitem\tparameter\tvalue\tjudge\tfact\n" << rows;
    return p;
}

const DatasetItem& item(const Dataset& ds, const std::string& id) {
    for (const auto& i : ds.items)
        if (i.id == id) return i;
    FAIL("no item " << id);
    throw;
}

}  // namespace

TEST_CASE("errata: a valid item becomes misconfigured, a misconfigured one gains the parameter", "[errata]") {
    auto ds = read_dataset(test::fixture("eval/small"));
    REQUIRE(ds);
    fs::path p = errata_file("apply",
                             "pg-valid\tshared_buffers\t128MB\tprogram\tsaid so\n"
                             "pg-bad\tport\t5432\tprogram\tsaid so\n");
    auto note = correct_labels(*ds, p);
    REQUIRE(note);
    CHECK(note->starts_with("2 labels corrected by " + p.string()));
    const auto& valid = item(*ds, "pg-valid");
    CHECK(valid.label == Label::misconfigured);
    CHECK(valid.params == std::vector<std::string>{"shared_buffers"});
    CHECK(valid.category == "Range");
    const auto& bad = item(*ds, "pg-bad");
    CHECK(bad.label == Label::misconfigured);
    CHECK(bad.params == std::vector<std::string>{"max_connections", "superuser_reserved_connections", "port"});
    CHECK(bad.category == "Dependency");  // its own mistake's category stays
    CHECK(item(*ds, "hdfs-valid").label == Label::valid);
    // No errata file: the labels as they are, and nothing to say.
    CHECK(correct_labels(*ds, "").value().empty());
    fs::remove(p);
}

TEST_CASE("errata: a row that does not describe the dataset is an error at its line", "[errata]") {
    auto ds = read_dataset(test::fixture("eval/small"));
    REQUIRE(ds);
    fs::path wrong_value = errata_file("value", "pg-valid\tshared_buffers\t1GB\tprogram\tsaid so\n");
    auto e = correct_labels(*ds, wrong_value);
    REQUIRE_FALSE(e);
    CHECK(e.error().line == 3);
    CHECK(e.error().path == wrong_value.string());
    CHECK(e.error().message == "pg-valid does not set shared_buffers = 1GB");
    fs::path no_item = errata_file("item", "pg-other\tport\t5432\tprogram\tsaid so\n");
    CHECK(correct_labels(*ds, no_item).error().message.starts_with("no item 'pg-other'"));
    fs::path short_row = errata_file("short", "pg-valid\tport\t5432\n");
    CHECK(correct_labels(*ds, short_row).error().message ==
          "expected five tab-separated fields: item, parameter, value, judge, fact");
    CHECK_FALSE(correct_labels(*ds, "/nonexistent/errata.tsv"));
    for (const auto& p : {wrong_value, no_item, short_row}) fs::remove(p);
}

TEST_CASE("errata: rows of a system the run leaves out are skipped", "[errata]") {
    DatasetOptions only_hdfs;
    only_hdfs.systems = {"hdfs"};
    auto ds = read_dataset(test::fixture("eval/small"), only_hdfs);
    REQUIRE(ds);
    fs::path p = errata_file("filtered", "pg-valid\tshared_buffers\t128MB\tprogram\tsaid so\n");
    auto note = correct_labels(*ds, p, true);
    REQUIRE(note);
    CHECK(note->starts_with("0 labels corrected"));
    fs::remove(p);
}

TEST_CASE("errata: the shipped table for the paper's artifact holds on its files", "[errata][artifact]") {
    const fs::path shared = CIRI_SHARED_DIR;
    if (!fs::is_directory(shared / "datasets")) {
        WARN("skipped: ../shared not found");
        return;
    }
    auto ds = read_dataset(shared);
    REQUIRE(ds);
    auto note = correct_labels(*ds, fs::path(CIRI_SOURCE_DIR) / "datasets/errata/ciri-icse25.tsv");
    INFO((note ? *note : note.error().format()));
    REQUIRE(note);
    CHECK(note->starts_with("13 labels corrected"));
    CHECK(item(*ds, "postgresql/correct/9").label == Label::misconfigured);
}
