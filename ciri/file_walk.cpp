#include "ciri/file_walk.hpp"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "parsers/detect.hpp"

namespace fs = std::filesystem;

namespace ciri {

namespace {

bool wanted(const std::string& path, const WalkOptions& options) {
    auto matches = [&](const std::string& glob) {
        return glob_match(glob, path) || glob_match("*/" + glob, path) || glob_match(glob, fs::path(path).filename().string());
    };
    if (!options.include.empty() && std::ranges::none_of(options.include, matches)) return false;
    return std::ranges::none_of(options.exclude, matches);
}

void walk_directory(const fs::path& dir, const WalkOptions& options, std::vector<std::string>& out) {
    std::vector<std::string> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        std::string name = it->path().filename().string();
        // Hidden entries (.git, .venv, editor files) are never configs under test; .env is.
        if (name.starts_with(".") && !name.starts_with(".env")) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        std::string path = it->path().string();
        if (detect_format(path, "").empty()) continue;
        if (wanted(path, options)) found.push_back(path);
    }
    // Directory order is the file system's; sorting keeps runs and reports reproducible.
    std::ranges::sort(found);
    out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

std::vector<std::string> expand_paths(const std::vector<std::string>& args, const WalkOptions& options) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& arg : args) {
        if (arg == "-" || fs::is_regular_file(arg, ec)) {
            out.push_back(arg);
        } else if (fs::is_directory(arg, ec)) {
            walk_directory(arg, options, out);
        } else if (arg.find_first_of("*?[") != std::string::npos) {
            glob_t g{};
            if (::glob(arg.c_str(), 0, nullptr, &g) == 0)
                for (size_t i = 0; i < g.gl_pathc; ++i) {
                    std::string p = g.gl_pathv[i];
                    if (fs::is_directory(p, ec)) walk_directory(p, options, out);
                    else if (wanted(p, options)) out.push_back(p);
                }
            else
                out.push_back(arg);  // reported as missing later, with the others
            globfree(&g);
        } else {
            out.push_back(arg);
        }
    }
    std::set<std::string> seen;
    std::erase_if(out, [&](const std::string& p) { return p != "-" && !seen.insert(p).second; });
    return out;
}

}  // namespace ciri
