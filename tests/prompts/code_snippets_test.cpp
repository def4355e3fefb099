#include "prompts/code_snippets.hpp"

#include <catch2/catch.hpp>

#include "prompts/prompt_builder.hpp"

using namespace ciri;

namespace {

CodeIndex two_files() {
    CodeIndex index;
    auto add = [&](std::string_view text, std::string_view lang, const std::string& file) {
        for (auto& r : index_source_text(text, lang, file)) index.reads.push_back(std::move(r));
    };
    add("class A {\n void f() {\n  int n = conf.getInt(\"a.n\", 1);\n  if (n < 0) throw new X();\n"
        "  String s = conf.get(\"a.s\");\n  int w = conf.getInt(\"workers\", 2);\n"
        "  if (w > 8) throw new X();\n }\n}\n",
        "java", "A.java");
    add("import os\nm = int(os.environ.get(\"other\", \"1\"))\nif m < 1:\n    raise ValueError()\n", "python", "b.py");
    index.build_lookup();
    return index;
}

}  // namespace

TEST_CASE("code snippets: the prompt's parameters first, checked reads first", "[code_snippets]") {
    CodeIndex index = two_files();
    auto ex = choose_code_excerpts(index, {"a.s", "a.n"}, {"other", "missing"}, "properties", 10'000);
    CHECK(ex.found == 3);
    CHECK(ex.shown == 3);
    size_t n = ex.text.find("`a.n`"), s = ex.text.find("`a.s`"), other = ex.text.find("`other`");
    REQUIRE(n != std::string::npos);
    REQUIRE(s != std::string::npos);
    REQUIRE(other != std::string::npos);
    CHECK(n < s);      // a check says more than a plain read
    CHECK(s < other);  // the prompt's own parameters before the file's others
    CHECK(ex.text.find("```python\nm = int(os.environ.get(\"other\", \"1\"))") != std::string::npos);
}

TEST_CASE("code snippets: what does not fit is left out, a smaller one may still fit", "[code_snippets]") {
    CodeIndex index = two_files();
    std::string small = render_code_read(*index.find("a.s")[0]);
    auto ex = choose_code_excerpts(index, {"a.n", "a.s"}, {}, "properties", estimate_tokens(small));
    CHECK(ex.found == 2);
    CHECK(ex.shown == 1);
    CHECK(ex.text == small);
    CHECK(choose_code_excerpts(index, {"a.n"}, {}, "properties", 0).text.empty());
}

TEST_CASE("code snippets: INI keys match without their section", "[code_snippets]") {
    CodeIndex index = two_files();
    CHECK(code_reads_for(index, "server.workers", "ini").size() == 1);
    CHECK(code_reads_for(index, "server.workers", "yaml").empty());
    std::string r = render_code_read(*code_reads_for(index, "workers", "ini")[0]);
    CHECK(r.starts_with("- `workers`, read at A.java:6 by conf.getInt, as int, default 2, 1 check:\n```java\n"));
}

TEST_CASE("code snippets: a reader call before a subscript of the same key", "[code_snippets]") {
    CodeIndex index;
    for (auto& r : index_source_text("a = d[\"k\"]\nb = conf.get(\"k\")\n", "python", "x.py")) index.reads.push_back(r);
    index.build_lookup();
    auto reads = code_reads_for(index, "k", "properties");
    REQUIRE(reads.size() == 2);
    CHECK(reads[0]->call == "conf.get");
    CHECK(reads[1]->call == "d[]");
}
