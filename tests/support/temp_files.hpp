// Temp directories and whole-file reads/writes for tests of every folder.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ciri::test {

/// A fresh, empty directory under the system temp dir, named after `name` and this process;
/// the caller removes it.
inline std::filesystem::path fresh_temp_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    auto path = std::filesystem::temp_directory_path() /
                ("ciri-test-" + name + "-" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path;
}

/// A fresh, empty directory under the system temp dir, removed by the destructor.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name) : path(fresh_temp_dir(name)) {}
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

/// Writes `text` to `path` (creating its parent directories) and returns the path.
inline std::filesystem::path write_file(const std::filesystem::path& path,
                                        const std::string& text) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

/// The whole content of `path`.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace ciri::test
