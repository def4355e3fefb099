#include "base/data_dir.hpp"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

namespace ciri {

namespace fs = std::filesystem;

namespace {

fs::path executable_path() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe;
}

// A build-tree binary sits under the build directory it was configured with; only such a binary
// may fall back to the source tree, so an installed or copied binary cannot depend on a checkout
// that happens to be on the same machine.
bool runs_from_build_tree(const fs::path& exe) {
#ifdef CIRI_BUILD_DIR
    std::error_code ec;
    fs::path build = fs::weakly_canonical(CIRI_BUILD_DIR, ec);
    if (ec || exe.empty()) return false;
    auto rel = exe.lexically_relative(build);
    return !rel.empty() && *rel.begin() != "..";
#else
    (void)exe;
    return false;
#endif
}

}  // namespace

bool holds_ciri_data(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir / "prompts" / "templates", ec) && fs::is_directory(dir / "datasets", ec);
}

Expected<fs::path> find_data_dir() {
    if (const char* env = std::getenv("CIRI_DATA_DIR"); env && *env) {
        if (holds_ciri_data(env)) return fs::path(env);
        return fail("CIRI_DATA_DIR=" + std::string(env) +
                    " does not hold ciri's data (prompts/templates/ and datasets/)");
    }
    std::string tried;
    fs::path exe = executable_path();
    if (!exe.empty()) {
        fs::path installed = (exe.parent_path() / ".." / "share" / "ciri").lexically_normal();
        if (holds_ciri_data(installed)) return installed;
        tried = installed.string();
    }
#ifdef CIRI_SOURCE_DIR
    if (exe.empty() || runs_from_build_tree(exe)) {
        if (holds_ciri_data(CIRI_SOURCE_DIR)) return fs::path(CIRI_SOURCE_DIR);
        tried += (tried.empty() ? "" : ", ") + std::string(CIRI_SOURCE_DIR);
    }
#endif
    return fail("cannot find ciri's data (prompt templates, spec tables, shot pools); looked in " +
                (tried.empty() ? std::string("no place") : tried) +
                "; reinstall ciri (cmake --install) or set CIRI_DATA_DIR to its share/ciri folder");
}

const fs::path& data_dir() {
    static const Expected<fs::path> found = find_data_dir();
    if (!found) throw UserError(found.error().message);
    return *found;
}

}  // namespace ciri
