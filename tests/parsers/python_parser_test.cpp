#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "parsers/registry.hpp"
#include "tests/parsers/parser_test_util.hpp"
#include "tests/support/paths.hpp"

namespace ciri {
Expected<std::vector<Parameter>> parse_python(std::string_view, const ParseLimits&);
}

namespace {

using ciri::Parameter;
using ciri::test::find;
using ciri::test::read_file;
using ciri::test::parse_ok;
using ciri::test::parse_err;
constexpr auto parse_fn = &ciri::parse_python;

}  // namespace

TEST_CASE("python: django settings, top-level names only", "[python]") {
    auto ps = parse_ok(parse_fn, read_file(ciri::test::fixture("parsers/python/settings.py")));
    std::vector<std::string> keys;
    for (const auto& p : ps) keys.push_back(p.key);
    CHECK(keys == std::vector<std::string>{
                      "BASE_DIR", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "INSTALLED_APPS",
                      "MIDDLEWARE", "ROOT_URLCONF", "DATABASES", "LANGUAGE_CODE", "TIME_ZONE",
                      "USE_I18N", "USE_TZ", "PASSWORD_RESET_TEXT", "STATIC_URL", "STATIC_ROOT",
                      "FILE_UPLOAD_MAX_MEMORY_SIZE", "CSRF_TRUSTED_ORIGINS", "DEFAULT_AUTO_FIELD"});
    const auto& base = find(ps, "BASE_DIR");
    CHECK(base.value == "Path(__file__).resolve().parent.parent");
    CHECK(base.line == 11);
    CHECK(base.description == "Build paths inside the project like this: BASE_DIR / 'subdir'.");
    // a '#' inside a string is not a comment
    CHECK(find(ps, "SECRET_KEY").value ==
          R"(os.environ.get("DJANGO_SECRET_KEY", "django-insecure-#k3y"))");
    CHECK(find(ps, "DEBUG").value == "True");
    CHECK(find(ps, "DEBUG").line == 17);
    CHECK(find(ps, "ALLOWED_HOSTS").value == R"(["localhost", "127.0.0.1"])");
    const auto& apps = find(ps, "INSTALLED_APPS");
    CHECK(apps.line == 21);
    CHECK(apps.value.starts_with("[\n    \"django.contrib.admin\","));
    CHECK(apps.value.find("# needed by auth") != std::string::npos);
    CHECK(apps.value.ends_with("\"django.contrib.staticfiles\",\n]"));
    CHECK(find(ps, "MIDDLEWARE").value.starts_with("(\n"));
    CHECK(find(ps, "ROOT_URLCONF").value == "'ciri_demo.urls'");
    const auto& db = find(ps, "DATABASES");
    CHECK(db.line == 38);
    CHECK(db.value.find("\"PORT\": 5432,") != std::string::npos);
    CHECK(db.value.ends_with("    }\n}"));
    CHECK(find(ps, "TIME_ZONE").value == "'UTC'");
    CHECK(find(ps, "TIME_ZONE").line == 58);
    CHECK(find(ps, "USE_TZ").value == "True");
    const auto& text = find(ps, "PASSWORD_RESET_TEXT");
    CHECK(text.line == 62);
    CHECK(text.description == "Sent to users who ask for a password reset.");
    CHECK(text.value.ends_with("ignore this message.\"\"\""));
    CHECK(text.value.find("# not a comment") != std::string::npos);
    CHECK(find(ps, "STATIC_ROOT").value == R"(BASE_DIR / "staticfiles")");
    CHECK(find(ps, "FILE_UPLOAD_MAX_MEMORY_SIZE").value == "2_621_440");
    const auto& csrf = find(ps, "CSRF_TRUSTED_ORIGINS");
    CHECK(csrf.value == "['https://ciri.example.org']");
    CHECK(csrf.description == "augmented assignment (+=)");
    CHECK(find(ps, "DEFAULT_AUTO_FIELD").value == "\\\n    \"django.db.models.BigAutoField\"");
    CHECK(find(ps, "DEFAULT_AUTO_FIELD").line == 70);
}

TEST_CASE("python: duplicates, annotations and non-assignments", "[python]") {
    auto ps = parse_ok(parse_fn, "X = 1\nX = 2\nY: int\nZ == 3\nprint(X)\nW.attr = 4\nV[0] = 5\n"
                       "else: Q = 1\nclass C: pass\nT: int=7\nN := 8\n");
    REQUIRE(ps.size() == 3);
    CHECK((ps[0].key == "X" && ps[0].value == "1" && ps[0].line == 1));
    CHECK((ps[1].key == "X" && ps[1].value == "2" && ps[1].line == 2));
    CHECK((ps[2].key == "T" && ps[2].value == "7" && ps[2].line == 10));
}

TEST_CASE("python: unterminated constructs report where they opened", "[python]") {
    auto dict = parse_err(parse_fn, read_file(ciri::test::fixture("parsers/python/unclosed_dict.py")));
    CHECK(dict.line == 3);
    CHECK(dict.message == "'{' was never closed");
    auto str = parse_err(parse_fn, "A = 1\nB = \"\"\"never\nclosed\n");
    CHECK(str.line == 2);
    CHECK(str.message == "unterminated triple-quoted string");
    auto single = parse_err(parse_fn, "A = 'oops\nB = 2\n");
    CHECK(single.line == 1);
    CHECK(single.message == "unterminated string");
    auto stray = parse_err(parse_fn, "A = [1,\n 2]]\n");
    CHECK(stray.line == 2);
    CHECK(stray.message == "unmatched ']'");
    auto mismatch = parse_err(parse_fn, "A = [\n 1,\n)\n");
    CHECK(mismatch.line == 3);
    CHECK(mismatch.message == "closing ')' does not match '[' opened on line 1");
    auto empty = parse_err(parse_fn, "A = 1\nB =\n");
    CHECK(empty.line == 2);
}

TEST_CASE("python: limits and garbage", "[python]") {
    std::string deep = "A = " + std::string(100, '[') + std::string(100, ']') + "\n";
    auto r = ciri::parse_python(deep, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().line == 1);
    ciri::ParseLimits wide;
    wide.max_depth = 200;
    CHECK(ciri::parse_python(deep, wide).has_value());
    CHECK_FALSE(ciri::parse_python(std::string(1'000'000, '('), {}).has_value());
    ciri::ParseLimits few;
    few.max_params = 1;
    CHECK_FALSE(ciri::parse_python("A = 1\nB = 2\n", few).has_value());
    const char* inputs[] = {"\x01\x02\xff", "\\", "'", "\"\"\"", "A = \\", "=", "A = 1 \\\n",
                            "\n\n\t\n", "A = r'\\'\n", "def f(:\n", "A = 'x' # '\n"};
    for (const char* in : inputs) {
        auto p = ciri::parse_python(in, {});
        if (p) CHECK(p->size() < 3);
        else CHECK(p.error().line >= 1);
    }
}

// The paper's synthesized Django files: every one has eight settings, and each erroneous
// file carries the ground-truth parameter with the injected value.
TEST_CASE("python: the artifact's django files", "[python][artifact]") {
    auto shared = ciri::test::shared_dir();
    if (!shared) return;
    auto dir = *shared / "datasets" / "synthesize_config" / "django";
    int files = 0;
    for (const char* kind : {"correct", "erroneous"}) {
        for (const auto& entry : std::filesystem::directory_iterator(dir / kind)) {
            INFO(entry.path());
            auto ps = parse_ok(parse_fn, read_file(entry.path()));
            CHECK(ps.size() == 8);
            ++files;
        }
    }
    CHECK(files == 36);
    std::ifstream truth(dir.parent_path() / "ground_truth" / "django.tsv");
    REQUIRE(truth);
    std::string row;
    int n = 0;
    while (std::getline(truth, row)) {
        if (row.empty()) continue;
        ++n;
        std::vector<std::string> cols;
        std::stringstream cs(row);
        for (std::string col; std::getline(cs, col, '\t');) cols.push_back(col);
        REQUIRE(cols.size() >= 4);
        auto ps = parse_ok(parse_fn, read_file(dir / "erroneous" / std::to_string(n)));
        INFO("erroneous/" << n << " " << cols[2]);
        bool found = false;
        for (const auto& p : ps) found = found || (p.key == cols[2] && p.value == cols[3]);
        CHECK(found);
    }
    CHECK(n == 18);
}
