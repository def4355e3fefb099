#include "prompts/file_view.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "parsers/load.hpp"

using namespace ciri;

namespace {

const char* kHdfs = R"(<?xml version="1.0"?>
<!-- site settings -->
<configuration>

<property>
  <name>dfs.replication</name>
  <value>3</value>
  <description>Default block replication.
    The actual number of replications can be specified when the file is created.</description>
</property>

<!-- the namenode -->
<property>
  <name>dfs.namenode.handler.count</name>
  <value>-10</value>
  <final>true</final>
</property>
</configuration>
)";

ConfigFile load(const std::string& text, const std::string& system, const std::string& format = "") {
    LoadOptions o;
    o.system = system;
    o.format = format;
    auto f = load_config_bytes("f", text, o);
    REQUIRE(f);
    return *f;
}

// Line `n` (1-based) of `text`.
std::string line_of(const std::string& text, int n) {
    std::istringstream in(text);
    std::string line;
    for (int i = 0; i < n && std::getline(in, line); ++i) {}
    return line;
}

}  // namespace

TEST_CASE("compact view: name = value per parameter at the line of its name, nothing else", "[file_view]") {
    ConfigFile f = load(kHdfs, "hdfs");
    REQUIRE(f.params.size() == 2);
    std::string view = compact_view(f);
    CHECK(view == "6: dfs.replication = 3\n14: dfs.namenode.handler.count = -10\n");
    // Each line number is where the file names that parameter, so findings keep their lines.
    CHECK_THAT(line_of(kHdfs, 6), Catch::Contains("<name>dfs.replication</name>"));
    CHECK_THAT(line_of(kHdfs, 14), Catch::Contains("<name>dfs.namenode.handler.count</name>"));
    for (const char* gone : {"description", "replications", "site settings", "final", "<"})
        CHECK(view.find(gone) == std::string::npos);
    // A range of parameters: only those, with their own lines.
    CHECK(compact_view(f, 1, 2) == "14: dfs.namenode.handler.count = -10\n");
    CHECK(compact_view(f, 2, 9).empty());
}

TEST_CASE("compact view writes line breaks in values and keys as ciri names them", "[file_view]") {
    ConfigFile f = load("# a comment\n\nzero_optimization:\n  stage: 3\nnote: |\n  two\n  lines\n", "", "yaml");
    std::string view = compact_view(f);
    CHECK_THAT(view, Catch::Contains("4: zero_optimization.stage = 3\n"));
    CHECK_THAT(view, Catch::Contains("two\\nlines"));
    CHECK(view.find("a comment") == std::string::npos);
    // Nested keys are not written as ciri names them: a raw prompt must list them.
    CHECK_FALSE(keys_written_as_is(f, 0, f.params.size()));
    ConfigFile xml = load(kHdfs, "hdfs");
    CHECK(keys_written_as_is(xml, 0, xml.params.size()));
    ConfigFile flat = load("# header\nshared_buffers = 128MB\nport=5432", "postgresql");
    CHECK(keys_written_as_is(flat, 0, flat.params.size()));
    // A parameter whose line is missing takes the one before it.
    ConfigFile lost = flat;
    lost.params[1].line = 0;
    CHECK(compact_view(lost) == "2: shared_buffers = 128MB\n2: port = 5432\n");
}

TEST_CASE("file views by name, and shots in the compact view", "[file_view]") {
    CHECK(parse_file_view("raw") == FileView::raw);
    CHECK(parse_file_view("compact") == FileView::compact);
    CHECK_FALSE(parse_file_view("Compact"));
    CHECK(file_view_names() == std::vector<std::string>{"raw", "compact"});
    CHECK(compact_shot_config("postgresql", "# c\nwork_mem = 4MB\n\nport = x\n") == "2: work_mem = 4MB\n4: port = x\n");
    CHECK_FALSE(compact_shot_config("no-such-system", "a = 1\n"));
    CHECK_FALSE(compact_shot_config("hdfs", "<configuration><property>"));
}
