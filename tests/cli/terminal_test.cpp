#include "ciri/cli/terminal.hpp"

#include <catch2/catch.hpp>

#include "tests/cli/cli_run.hpp"
#include "tests/support/temp_files.hpp"

using namespace ciri::test;

TEST_CASE("want_color: flags decide, then NO_COLOR, then the terminal or CLICOLOR_FORCE", "[cli][terminal]") {
    ::unsetenv("NO_COLOR");
    ::unsetenv("CLICOLOR_FORCE");
    CHECK(ciri::want_color("auto", true));
    CHECK_FALSE(ciri::want_color("auto", false));
    CHECK(ciri::want_color("always", false));
    CHECK_FALSE(ciri::want_color("never", true));
    ::setenv("NO_COLOR", "1", 1);
    CHECK_FALSE(ciri::want_color("auto", true));
    CHECK(ciri::want_color("always", true));  // an explicit flag beats the environment
    ::setenv("NO_COLOR", "", 1);              // empty means unset (no-color.org)
    CHECK(ciri::want_color("auto", true));
    ::unsetenv("NO_COLOR");
    ::setenv("CLICOLOR_FORCE", "1", 1);
    CHECK(ciri::want_color("auto", false));
    ::setenv("CLICOLOR_FORCE", "0", 1);
    CHECK_FALSE(ciri::want_color("auto", false));
    ::unsetenv("CLICOLOR_FORCE");
}

TEST_CASE("validate: CLICOLOR_FORCE colours a pipe, NO_COLOR stops it, -q silences notes", "[cli][terminal]") {
    TempDir dir("terminal");
    auto file = write_file(dir.path / "postgresql.conf", "max_wal_size = 1GB\nmin_wal_size = 8GB\n");
    auto forced = run_ciri_binary("CLICOLOR_FORCE=1", {"validate", "--no-config", file.string()}, dir.path);
    INFO(forced.out << forced.err);
    CHECK(forced.code == 1);
    CHECK(forced.out.find("\x1b[") != std::string::npos);
    auto plain = run_ciri_binary("CLICOLOR_FORCE=1 NO_COLOR=1", {"validate", "--no-config", file.string()}, dir.path);
    CHECK(plain.code == 1);
    CHECK(plain.out.find("\x1b[") == std::string::npos);
    CHECK(plain.err.find("no LLM configured") != std::string::npos);
    auto quiet = run_ciri_binary("", {"validate", "--no-config", "-q", file.string()}, dir.path);
    CHECK(quiet.code == 1);
    CHECK(quiet.err.empty());
    CHECK(quiet.out.find("min_wal_size") != std::string::npos);
}
