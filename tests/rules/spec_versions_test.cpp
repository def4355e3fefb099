#include "ciri/rules/spec_versions.hpp"

#include <catch2/catch.hpp>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"

using namespace ciri;

namespace {

SpecSet table(const std::string& rows) {
    auto s = parse_spec_tsv("name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n" + rows, "t.tsv");
    REQUIRE(s.has_value());
    return *s;
}

SpecSet old_table() {
    return table("a.keep\tint\t1\n"
                 "a.old.buffer.size\tint\t4096\n"
                 "a.gone\tbool\ttrue\n");
}
SpecSet new_table() {
    return table("a.keep\tint\t1\n"
                 "a.io.buffer.size\tint\t4096\n"
                 "a.fresh\tint\t7\n");
}

}  // namespace

TEST_CASE("spec diff lists added, removed and guessed renames", "[rules][spec_versions]") {
    SpecDiff d = diff_specs(old_table(), new_table());
    CHECK(d.added == std::vector<std::string>{"a.fresh"});
    CHECK(d.removed == std::vector<std::string>{"a.gone"});
    REQUIRE(d.renamed.size() == 1);
    CHECK(d.renamed[0] == std::pair<std::string, std::string>{"a.old.buffer.size", "a.io.buffer.size"});
    // A different default is no rename.
    SpecDiff other = diff_specs(old_table(), table("a.io.buffer.size\tint\t8192\n"));
    CHECK(other.renamed.empty());
    CHECK(other.added == std::vector<std::string>{"a.io.buffer.size"});
}

TEST_CASE("merged versions carry since/until and give version findings", "[rules][spec_versions]") {
    SpecSet merged = merge_versions(old_table(), new_table(), "3.0");
    CHECK(merged.params.at("a.fresh").since == "3.0");
    CHECK(merged.params.at("a.keep").since.empty());
    CHECK(merged.params.at("a.gone").until == "3.0");
    auto again = parse_spec_tsv(write_spec_tsv(merged), "again");
    REQUIRE(again.has_value());
    CHECK(again->params.at("a.gone").until == "3.0");

    LoadOptions o;
    o.system = "hdfs";
    o.format = "properties";
    auto file = load_config_bytes("t", "a.gone=true\na.fresh=7\na.keep=1\n", o);
    REQUIRE(file.has_value());
    file->version = "3.2";
    auto v = check_file(*file, *again);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].param == "a.gone");
    CHECK(v.findings[0].category == "Version");
    file->version = "2.9";
    v = check_file(*file, *again);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].param == "a.fresh");
    // No version given: nothing to say about versions.
    file->version.clear();
    CHECK(check_file(*file, *again).findings.empty());
}
