// Where tests find fixtures, the built binaries and the paper's artifact.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace ciri::test {

/// The repository root.
inline std::filesystem::path source_dir() { return CIRI_SOURCE_DIR; }

/// tests/fixtures/<rel>.
inline std::filesystem::path fixture(const std::string& rel) { return source_dir() / "tests" / "fixtures" / rel; }

/// The build directory (where the `ciri` binary is).
inline std::filesystem::path binary_dir() { return CIRI_BINARY_DIR; }

/// The Ciri ICSE'25 artifact, or nullopt after saying "skipped: ../shared not found".
/// In CI (CI=true) the artifact must be there, so its absence fails the test instead.
inline std::optional<std::filesystem::path> shared_dir() {
    std::filesystem::path dir = CIRI_SHARED_DIR;
    if (const char* env = std::getenv("CIRI_SHARED_DIR")) dir = env;
    if (std::filesystem::is_directory(dir / "datasets")) return dir;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL("../shared/ciri-icse25 not found at " << dir << " in CI");
    WARN("skipped: ../shared not found");
    return std::nullopt;
}

}  // namespace ciri::test
