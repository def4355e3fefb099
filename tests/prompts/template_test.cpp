#include "prompts/template.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/temp_files.hpp"

namespace fs = std::filesystem;
using namespace ciri;
using ciri::test::TempDir;
using ciri::test::write_file;

TEST_CASE("template sections with their final line break and titles", "[template]") {
    auto tpl = parse_template(
        "comment for the author\n"
        "=== system ===\n"
        "sys {system}\n"
        "=== prefix ===\n"
        "pre\n"
        "\n"
        "=== body ===\n"
        "body {file}\n"
        "=== titles ===\n"
        "# comment\n"
        "hcommon = HCommon\n",
        "t");
    REQUIRE(tpl);
    CHECK(tpl->system == "sys {system}");
    CHECK(tpl->prefix == "pre\n");  // an empty last line keeps one line break
    CHECK(tpl->body == "body {file}");
    CHECK(tpl->shot == "{shot_text}");
    CHECK(tpl->shot_separator == "\n\n");
    CHECK(tpl->titles.at("hcommon") == "HCommon");
    CHECK(tpl->titles.size() == 1);

    auto crlf = parse_template("=== body ===\r\nline {file}\r\n\r\n", "t");
    REQUIRE(crlf);
    CHECK(crlf->body == "line {file}\n");
}

TEST_CASE("template errors name the line", "[template]") {
    auto unknown = parse_template("=== body ===\nok {file}\nbad {sytem}\n", "t");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message.find("{sytem}") != std::string::npos);
    CHECK(unknown.error().line == 3);

    auto section = parse_template("=== bdy ===\nx\n", "t");
    REQUIRE_FALSE(section);
    CHECK(section.error().line == 1);

    CHECK_FALSE(parse_template("=== body ===\na\n=== body ===\nb\n", "t"));
    CHECK_FALSE(parse_template("=== prefix ===\nno body\n", "t"));
    CHECK_FALSE(parse_template("=== body ===\n[[a [[b]] c]]\n", "t"));
    CHECK_FALSE(parse_template("=== body ===\n[[open\n", "t"));
    CHECK_FALSE(parse_template("=== body ===\nclose]]\n", "t"));
    // Shot placeholders belong to the shot section only.
    CHECK_FALSE(parse_template("=== body ===\n{shot_text}\n", "t"));
    CHECK(parse_template("=== shot ===\n{shot_text} {system}\n=== body ===\nx\n", "t"));
    // JSON braces are text, not placeholders.
    CHECK(parse_template("=== body ===\n{\n  \"hasError\": true}\n{ x }\n", "t"));
}

TEST_CASE("fill_template replaces placeholders and drops segments with empty ones", "[template]") {
    TemplateValues v = {{"system", "HDFS"}, {"version", ""}, {"file", "a {system} [[b]]"}};
    CHECK(fill_template("for {system}[[ version {version}]]?", v) == "for HDFS?");
    v["version"] = "3.3.0";
    CHECK(fill_template("for {system}[[ version {version}]]?", v) == "for HDFS version 3.3.0?");
    // Values are inserted once: a file that looks like a template stays as it is.
    CHECK(fill_template("<{file}>", v) == "<a {system} [[b]]>");
    CHECK(fill_template("{\"hasError\": {x}}", v) == "{\"hasError\": }");
    CHECK(fill_template("[[static]] {unknown_name}", v) == "static ");
}

TEST_CASE("shipped templates load and list", "[template]") {
    for (const char* name : {"ciri", "default"}) {
        auto tpl = load_template(name);
        INFO(name);
        REQUIRE(tpl);
        CHECK(tpl->path.ends_with(std::string("prompts/templates/") + name + ".txt"));
        CHECK_FALSE(tpl->body.empty());
    }
    auto names = list_templates();
    CHECK(std::ranges::find(names, "ciri") != names.end());
    CHECK(std::ranges::find(names, "default") != names.end());
    auto missing = load_template("no-such-prompt");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("prompts/templates") != std::string::npos);
}

TEST_CASE("prompt dirs come before the shipped templates", "[template]") {
    TempDir dir("template");
    write_file(dir.path / "default.txt", "=== body ===\nmine {file}\n");
    write_file(dir.path / "extra.txt", "=== body ===\nextra\n");
    write_file(dir.path / "broken.txt", "=== body ===\n{nope}\n");
    std::vector<std::string> dirs = {dir.path.string()};

    auto over = load_template("default", dirs);
    REQUIRE(over);
    CHECK(over->body == "mine {file}");
    CHECK(over->path == (dir.path / "default.txt").string());
    auto shipped = load_template("ciri", dirs);  // not in the dir: falls through
    REQUIRE(shipped);
    CHECK(shipped->path.ends_with("prompts/templates/ciri.txt"));
    CHECK(load_template("extra", dirs));
    CHECK_FALSE(load_template("extra"));
    auto broken = load_template("broken", dirs);
    REQUIRE_FALSE(broken);
    CHECK(broken.error().path == (dir.path / "broken.txt").string());
    // A path is read as is.
    auto by_path = load_template((dir.path / "extra.txt").string());
    REQUIRE(by_path);
    CHECK(by_path->body == "extra");
    auto names = list_templates(dirs);
    CHECK(std::ranges::count(names, "default") == 1);
    CHECK(std::ranges::find(names, "extra") != names.end());
}
