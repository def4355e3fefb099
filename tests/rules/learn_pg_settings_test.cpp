#include "ciri/rules/learn_pg_settings.hpp"

#include <catch2/catch.hpp>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"
#include "tests/rules/rules_test_util.hpp"

using namespace ciri;

namespace {

// A pg_settings export as COPY ... WITH (FORMAT text, HEADER true) writes it; rows made for
// the test, in the server's shapes (units, `\N` nulls, array literals).
const char* kExport =
    "name\tcontext\tvartype\tunit\tmin_val\tmax_val\tenumvals\tboot_val\n"
    "archive_mode\tpostmaster\tenum\t\\N\t\\N\t\\N\t{always,on,off}\toff\n"
    "block_size\tinternal\tinteger\t\\N\t8192\t8192\t\\N\t8192\n"
    "checkpoint_timeout\tsighup\tinteger\ts\t30\t86400\t\\N\t300\n"
    "default_transaction_isolation\tuser\tenum\t\\N\t\\N\t\\N\t{serializable,\"repeatable read\",\"read committed\"}\tread committed\n"
    "enable_seqscan\tuser\tbool\t\\N\t\\N\t\\N\t\\N\ton\n"
    "geqo_selection_bias\tuser\treal\t\\N\t1.5\t2\t\\N\t2\n"
    "search_path\tuser\tstring\t\\N\t\\N\t\\N\t\\N\t\"$user\", public\n"
    "seq_page_cost\tuser\treal\t\\N\t0\t1.79769e+308\t\\N\t1\n"
    "shared_buffers\tpostmaster\tinteger\t8kB\t16\t1073741823\t\\N\t1024\n"
    "ssl_max_protocol_version\tsighup\tenum\t\\N\t\\N\t\\N\t{\"\",TLSv1.2,TLSv1.3}\t\n"
    "vacuum_cost_delay\tuser\treal\tms\t0\t100\t\\N\t0\n"
    "wal_level\tpostmaster\tenum\t\\N\t\\N\t\\N\t{minimal,replica,logical}\treplica\n"
    "work_mem\tuser\tinteger\tkB\t64\t2147483647\t\\N\t4096\n";

SpecSet learned(bool complete = false) {
    DefaultsSource src{"postgresql", "15", "pg_settings", "", complete};
    auto spec = learn_from_pg_settings(kExport, src);
    REQUIRE(spec.has_value());
    // What is shipped is the table as written and read back.
    auto back = parse_spec_tsv(write_spec_tsv(*spec), "round trip");
    REQUIRE(back.has_value());
    return *back;
}

std::vector<std::string> flagged(const std::string& conf, const SpecSet& spec) {
    return test::flagged_in(conf, "postgresql", "conf", spec);
}

}  // namespace

TEST_CASE("pg_settings gives the kinds, units and ranges the server enforces", "[rules][learn_pg_settings]") {
    SpecSet spec = learned();
    const ParamSpec& buffers = spec.params.at("shared_buffers");
    CHECK(buffers.rule.kind == ValueKind::size);
    CHECK(buffers.unit == "8kB");
    CHECK(buffers.rule.min == 16);
    CHECK(buffers.restart);
    CHECK(buffers.documented);
    CHECK(spec.params.at("checkpoint_timeout").rule.kind == ValueKind::duration);
    CHECK(spec.params.at("vacuum_cost_delay").rule.kind == ValueKind::duration);
    CHECK(spec.params.at("geqo_selection_bias").rule.kind == ValueKind::number);
    CHECK(spec.params.at("enable_seqscan").rule.kind == ValueKind::boolean);
    CHECK(spec.params.at("search_path").rule.kind == ValueKind::string);
    CHECK_FALSE(spec.params.at("enable_seqscan").restart);
    // A bound as large as a double holds is no bound.
    CHECK_FALSE(spec.params.at("seq_page_cost").rule.max.has_value());
    // An enumeration with an empty choice cannot be written as one: it is a string.
    CHECK(spec.params.at("ssl_max_protocol_version").rule.kind == ValueKind::string);
    // Enumerations holding on and off take the boolean spellings the server takes there.
    const auto& archive = spec.params.at("archive_mode").rule.enum_values;
    CHECK(std::count(archive.begin(), archive.end(), "yes") == 1);
    const auto& wal = spec.params.at("wal_level").rule.enum_values;
    CHECK(wal == std::vector<std::string>{"minimal", "replica", "logical"});
}

TEST_CASE("a table from pg_settings judges values as the server does", "[rules][learn_pg_settings]") {
    SpecSet spec = learned();
    // Accepted by PostgreSQL 15: bare numbers in the parameter's unit, units converted.
    CHECK(flagged("shared_buffers = 127\ncheckpoint_timeout = 300\nwork_mem = 64\n"
                  "archive_mode = yes\ndefault_transaction_isolation = 'repeatable read'\n"
                  "ssl_max_protocol_version = ''\nsearch_path = ''\ngeqo_selection_bias = 1.5\n",
                  spec)
              .empty());
    CHECK(flagged("shared_buffers = 128kB\ncheckpoint_timeout = 5min\nwork_mem = 4MB\n", spec).empty());
    // The server rounds a fractional value of an integer setting.
    CHECK(flagged("shared_buffers = 127.5\ncheckpoint_timeout = 300.5\n", spec).empty());
    CHECK(spec.params.at("block_size").rule.kind == ValueKind::number);
    // Refused by it: out of range, and empty typed values.
    CHECK(flagged("geqo_selection_bias = 1.0\n", spec) == std::vector<std::string>{"geqo_selection_bias"});
    CHECK(flagged("shared_buffers = 15\n", spec) == std::vector<std::string>{"shared_buffers"});
    CHECK(flagged("checkpoint_timeout = 20s\n", spec) == std::vector<std::string>{"checkpoint_timeout"});
    CHECK(flagged("work_mem = ''\nenable_seqscan = ''\nwal_level = ''\n", spec) ==
          std::vector<std::string>{"work_mem", "enable_seqscan", "wal_level"});
    CHECK(flagged("wal_level = everything\n", spec) == std::vector<std::string>{"wal_level"});
}

TEST_CASE("a complete export makes a key one slip from a setting a misspelling", "[rules][learn_pg_settings]") {
    CHECK(flagged("shared_bufers = 128MB\n", learned(false)).empty());
    CHECK(flagged("shared_bufers = 128MB\n", learned(true)) == std::vector<std::string>{"shared_bufers"});
}

TEST_CASE("a malformed pg_settings export is an error with its line", "[rules][learn_pg_settings]") {
    DefaultsSource src{"postgresql", "15", "settings.tsv", "", false};
    auto no_unit = learn_from_pg_settings("name\tcontext\tvartype\n", src);
    REQUIRE_FALSE(no_unit.has_value());
    CHECK(no_unit.error().message.find("unit") != std::string::npos);
    auto bad_enum = learn_from_pg_settings(
        "name\tcontext\tvartype\tunit\tmin_val\tmax_val\tenumvals\tboot_val\nx\tuser\tenum\t\\N\t\\N\t\\N\talways,on\toff\n",
        src);
    REQUIRE_FALSE(bad_enum.has_value());
    CHECK(bad_enum.error().line == 2);
    auto bad_type = learn_from_pg_settings(
        "name\tcontext\tvartype\tunit\tmin_val\tmax_val\tenumvals\tboot_val\nx\tuser\tcomplex\t\\N\t\\N\t\\N\t\\N\t1\n", src);
    REQUIRE_FALSE(bad_type.has_value());
    CHECK_FALSE(learn_from_pg_settings("", src).has_value());
}

TEST_CASE("the document completes the program's table with the dependencies it states", "[rules][learn_pg_settings]") {
    SpecSet facts = learned();
    DefaultsSource doc_src{"postgresql", "15", "postgresql.conf.sample", "", false};
    auto doc = parse_spec_tsv(
        "name\ttype\tdefault\tmin\tmax\tenum\tunit\tconstraint\n"
        "enable_seqscan\tbool\ton\t\t\t\t\tenable_seqscan requires wal_level=replica\n"
        "shared_buffers\tsize\t128MB\t128\t\t\tkB\tshared_buffers requires no_such_setting=on\n"
        "d\tstring\tdays\t\t\t\t\t\n",
        "doc");
    REQUIRE(doc.has_value());
    SpecSet merged = merge_program_and_document(facts, *doc);
    // The program's rows stand; the document adds its dependency between the program's
    // parameters, and nothing that names what the program does not list.
    CHECK(merged.params.at("shared_buffers").unit == "8kB");
    CHECK(merged.params.at("shared_buffers").constraints.empty());
    CHECK(merged.params.at("enable_seqscan").constraints == std::vector<std::string>{"enable_seqscan requires wal_level=replica"});
    CHECK(merged.params.count("d") == 0);
    auto back = parse_spec_tsv(write_spec_tsv(merged), "merged");
    REQUIRE(back.has_value());
    CHECK(back->constraints.size() == merged.constraints.size());
}
