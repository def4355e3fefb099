#include "base/data_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/support/paths.hpp"
#include "tests/support/temp_files.hpp"

namespace {

// Sets an environment variable for one test and restores it after.
struct ScopedEnv {
    std::string name;
    std::optional<std::string> old;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) old = v;
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old) ::setenv(name.c_str(), old->c_str(), 1);
        else ::unsetenv(name.c_str());
    }
};

}  // namespace

TEST_CASE("a build-tree binary finds the source tree's data", "[data_dir]") {
    ::unsetenv("CIRI_DATA_DIR");
    auto dir = ciri::find_data_dir();
    REQUIRE(dir);
    CHECK(std::filesystem::equivalent(*dir, ciri::test::source_dir()));
    CHECK(ciri::holds_ciri_data(*dir));
}

TEST_CASE("CIRI_DATA_DIR wins when it holds the data", "[data_dir]") {
    ciri::test::TempDir tmp("data-dir");
    std::filesystem::create_directories(tmp.path / "prompts" / "templates");
    std::filesystem::create_directories(tmp.path / "datasets");
    ScopedEnv env("CIRI_DATA_DIR", tmp.path.string());
    auto dir = ciri::find_data_dir();
    REQUIRE(dir);
    CHECK(*dir == tmp.path);
}

TEST_CASE("a CIRI_DATA_DIR without the data is an error, never a silent fallback", "[data_dir]") {
    ciri::test::TempDir tmp("data-dir-empty");
    std::filesystem::create_directories(tmp.path / "datasets");  // templates missing
    ScopedEnv env("CIRI_DATA_DIR", tmp.path.string());
    auto dir = ciri::find_data_dir();
    REQUIRE_FALSE(dir);
    CHECK(dir.error().message.find("CIRI_DATA_DIR=" + tmp.path.string()) != std::string::npos);
    CHECK(dir.error().message.find("does not hold") != std::string::npos);
}
