#include "base/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

namespace fs = std::filesystem;

namespace ciri {

Expected<void> write_file_atomic(const fs::path& path, std::string_view content) {
    static std::atomic<unsigned> counter{0};
    std::error_code ec;
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::create_directories(dir, ec);
    // Unique per process, thread and call, so concurrent writers never share a temp file.
    fs::path tmp = dir / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
                          std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 100000) + "." +
                          std::to_string(counter++) + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            fs::remove(tmp, ec);
            return fail("cannot write " + path.string());
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        fs::remove(tmp, ec);
        return fail("cannot write " + path.string());
    }
    return {};
}

}  // namespace ciri
