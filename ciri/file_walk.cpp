#include "ciri/file_walk.hpp"

#include <fnmatch.h>
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "parsers/detect.hpp"
#include "parsers/text.hpp"

namespace fs = std::filesystem;

namespace ciri {

namespace {

// Folders of tools, dependencies and builds: never configurations under test.
constexpr std::string_view kNeverEnter[] = {
    ".git", ".hg", ".svn", "node_modules", "bower_components", "__pycache__", ".venv", "venv",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".eggs",
    "build", "dist", "target", "CMakeFiles", ".gradle", ".terraform", ".cache"};

// Extensions of documents, sources, data and binaries: a name that says so is not a
// configuration even when the content sniffers would take its lines for one.
constexpr std::string_view kNotConfig[] = {
    "md", "markdown", "rst", "adoc", "txt", "html", "htm", "css", "scss", "js", "mjs", "cjs", "ts", "tsx",
    "jsx", "c", "cc", "cpp", "cxx", "h", "hh", "hpp", "cu", "cuh", "go", "rs", "java", "kt", "scala", "rb",
    "pl", "php", "swift", "m", "mm", "cs", "lock", "csv", "tsv", "log", "sql", "png", "jpg", "jpeg", "gif",
    "svg", "ico", "bmp", "webp", "pdf", "zip", "gz", "tgz", "bz2", "xz", "zst", "tar", "jar", "war", "class",
    "so", "o", "a", "dylib", "dll", "exe", "bin", "pyc", "pyo", "whl", "egg", "ipynb", "pt", "pth", "ckpt",
    "safetensors", "onnx", "npy", "npz", "parquet", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4",
    "wav", "patch", "diff", "pem", "crt", "key"};

// File names (or their stems) of project documents and build scripts.
constexpr std::string_view kNotConfigNames[] = {
    "makefile", "dockerfile", "license", "licence", "copying", "readme", "changelog", "changes", "notice",
    "authors", "contributors", "contributing", "codeowners", "jenkinsfile", "vagrantfile", "gemfile",
    "rakefile", "procfile", "cmakelists"};


bool is_never_entered(const fs::path& dir, const std::string& name) {
    if (std::ranges::find(kNeverEnter, name) != std::end(kNeverEnter) || name.starts_with("cmake-build-"))
        return true;
    std::error_code ec;
    return fs::exists(dir / "pyvenv.cfg", ec);  // a virtualenv, whatever it is called
}

bool not_config_by_name(const std::string& name) {
    std::string lower = to_lower(name);
    std::string stem = lower.substr(0, lower.find('.'));
    if (std::ranges::find(kNotConfigNames, stem) != std::end(kNotConfigNames)) return true;
    size_t dot = lower.rfind('.');
    if (dot == std::string::npos || dot == 0) return false;
    return std::ranges::find(kNotConfig, std::string_view(lower).substr(dot + 1)) != std::end(kNotConfig);
}

// Segment-wise match: "**" spans any number of segments, others go to fnmatch.
bool match_segments(const std::vector<std::string>& glob, size_t g, const std::vector<std::string>& path, size_t p) {
    if (g == glob.size()) return p == path.size();
    if (glob[g] == "**") {
        for (size_t k = p; k <= path.size(); ++k)
            if (match_segments(glob, g + 1, path, k)) return true;
        return false;
    }
    if (p == path.size()) return false;
    if (::fnmatch(glob[g].c_str(), path[p].c_str(), 0) != 0) return false;
    return match_segments(glob, g + 1, path, p + 1);
}

std::vector<std::string> segments(std::string_view s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find('/', start);
        if (end == std::string_view::npos) end = s.size();
        if (end > start) out.emplace_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// One .gitignore or .ciriignore line.
struct IgnorePattern {
    std::string glob;
    bool negate = false;
    bool dir_only = false;
};

// The patterns of one ignore file, which apply below its folder.
struct IgnoreFile {
    fs::path base;
    std::string source;  // ".gitignore" or ".ciriignore"
    std::vector<IgnorePattern> patterns;
};

// The ignore files of `dir`. One that is there but cannot be read safely (a FIFO would block,
// /dev/zero never end, a huge one is no ignore list) is passed to `unread` with why, and the
// walk goes on without it: it only ever narrows what is checked.
std::vector<IgnoreFile> read_ignore_files(const fs::path& dir,
                                          const std::function<void(const fs::path&, std::string)>& unread) {
    constexpr uintmax_t kMaxIgnoreBytes = uintmax_t(1) << 20;
    std::vector<IgnoreFile> out;
    for (const char* name : {".gitignore", ".ciriignore"}) {
        std::error_code ec;
        auto status = fs::status(dir / name, ec);
        if (!fs::exists(fs::symlink_status(dir / name, ec))) continue;
        if (!fs::is_regular_file(status)) {
            unread(dir / name, "ignore file not read: not a regular file");
            continue;
        }
        if (auto size = fs::file_size(dir / name, ec); ec || size > kMaxIgnoreBytes) {
            unread(dir / name, ec ? "ignore file not read: " + ec.message() : "ignore file not read: over 1 MiB");
            continue;
        }
        std::ifstream in(dir / name);
        if (!in) {
            unread(dir / name, "ignore file not read: cannot open it");
            continue;
        }
        IgnoreFile file{dir, name, {}};
        for (std::string line; std::getline(in, line);) {
            std::string_view t = trim(line);
            if (t.empty() || t.starts_with('#')) continue;
            IgnorePattern p;
            if (t.starts_with('!')) p.negate = true, t.remove_prefix(1);
            if (t.ends_with('/')) p.dir_only = true, t.remove_suffix(1);
            if (t.empty()) continue;
            p.glob = std::string(t);
            file.patterns.push_back(std::move(p));
        }
        out.push_back(std::move(file));
    }
    return out;
}

// The ignore file that ignores `path` (last matching pattern wins, as in git), or nullptr.
const IgnoreFile* ignored_by(const std::vector<IgnoreFile>& files, const fs::path& path, bool is_dir) {
    const IgnoreFile* by = nullptr;
    for (const auto& f : files) {
        std::string rel = path.lexically_relative(f.base).generic_string();
        for (const auto& p : f.patterns) {
            if (p.dir_only && !is_dir) continue;
            if (ignore_glob_match(p.glob, rel)) by = p.negate ? nullptr : &f;
        }
    }
    return by;
}

class Walker {
public:
    Walker(const WalkOptions& options, WalkReport* report) : options_(options), report_(report) {}

    bool wanted(const std::string& path, const std::string& rel) const {
        auto matches = [&](const std::string& glob) {
            return glob_match(glob, path) || glob_match("*/" + glob, path) ||
                   glob_match(glob, fs::path(path).filename().string());
        };
        if (!options_.include.empty() && std::ranges::none_of(options_.include, matches)) return false;
        return std::ranges::none_of(options_.exclude, [&](const std::string& glob) {
            return matches(glob) || ignore_glob_match(glob, rel);
        });
    }

    void skip(const fs::path& path, std::string reason) {
        if (report_) report_->skipped.push_back({path.string(), std::move(reason)});
    }

    // Walks `root` without recursion, so a deep tree cannot exhaust the stack.
    void walk(const fs::path& root, std::vector<std::string>& out) {
        std::vector<std::string> found;
        struct Dir {
            fs::path path;
            std::vector<IgnoreFile> ignores;
        };
        std::vector<Dir> stack{{root, {}}};
        while (!stack.empty()) {
            Dir dir = std::move(stack.back());
            stack.pop_back();
            auto unread = [this](const fs::path& p, std::string why) { skip(p, std::move(why)); };
            for (auto& f : read_ignore_files(dir.path, unread)) dir.ignores.push_back(std::move(f));
            std::error_code ec;
            fs::directory_iterator it(dir.path, ec), end;
            if (ec) {
                skip(dir.path, "unreadable folder: " + ec.message());
                continue;
            }
            std::vector<fs::directory_entry> entries;
            for (; it != end; it.increment(ec)) {
                if (ec) {
                    skip(dir.path, "folder not read to the end: " + ec.message());
                    break;
                }
                entries.push_back(*it);
            }
            for (const auto& entry : entries) visit(entry, root, dir.ignores, stack, found);
        }
        // Directory order is the file system's; sorting keeps runs and reports reproducible.
        std::ranges::sort(found);
        out.insert(out.end(), found.begin(), found.end());
    }

private:
    template <class Stack>
    void visit(const fs::directory_entry& entry, const fs::path& root, const std::vector<IgnoreFile>& ignores,
               Stack& stack, std::vector<std::string>& found) {
        std::error_code ec;
        const fs::path& path = entry.path();
        std::string name = path.filename().string();
        bool is_dir = entry.is_directory(ec);
        if (is_dir) {
            if (entry.is_symlink(ec)) return skip(path, "symbolic link to a folder (not followed)");
            if (is_never_entered(path, name)) return skip(path, "tool, dependency or build folder");
        }
        if (name.starts_with(".") && !name.starts_with(".env")) {
            // .gitignore and .ciriignore are read for their patterns, not validated.
            if (name == ".gitignore" || name == ".ciriignore") return skip(path, "ignore file");
            return skip(path, is_dir ? "hidden folder" : "hidden file");
        }
        if (const IgnoreFile* by = ignored_by(ignores, path, is_dir)) return skip(path, "ignored by " + by->source);
        std::string rel = path.lexically_relative(root).generic_string();
        if (is_dir) {
            if (std::ranges::any_of(options_.exclude, [&](const std::string& g) { return ignore_glob_match(g, rel); }))
                return skip(path, "excluded");
            stack.push_back({path, ignores});
            return;
        }
        if (!entry.is_regular_file(ec)) return skip(path, "not a regular file");
        if (!wanted(path.string(), rel)) return skip(path, "excluded");
        // The content is read only when the name decides nothing.
        std::string head;
        if (detect_format(path.string(), "").empty() && !not_config_by_name(name)) {
            std::ifstream in(path, std::ios::binary);
            if (!in) return skip(path, "unreadable file");
            head.resize(kSniffBytes);
            in.read(head.data(), static_cast<std::streamsize>(head.size()));
            head.resize(static_cast<size_t>(in.gcount()));
        }
        if (auto why = why_not_configuration(path.string(), head); !why.empty()) {
            // The user said what these files are: the mapped system's format reads them.
            if (!mapped_configuration(path.string(), head, options_.systems)) return skip(path, why);
        }
        found.push_back(path.string());
    }

    const WalkOptions& options_;
    WalkReport* report_;
};

}  // namespace

bool mapped_configuration(const std::string& path, std::string_view head, const std::vector<SystemMapping>& systems) {
    return mapping_for(systems, path) && head.find('\0') == std::string_view::npos &&
           !not_config_by_name(fs::path(path).filename().string());
}

std::string why_not_configuration(const std::string& path, std::string_view head) {
    if (!detect_format(path, "").empty()) return "";
    if (not_config_by_name(fs::path(path).filename().string())) return "not a configuration file (by its name)";
    if (head.find('\0') != std::string_view::npos) return "binary";
    std::string format = detect_format(path, head);
    if (format.empty()) return "format not recognised";
    // A script holds configuration only as launcher arguments, #SBATCH lines or exports;
    // read as anything else its commands would be reported as syntax errors.
    if (head.starts_with("#!") && format != "args" && format != "sbatch" && format != "env")
        return "script without launcher arguments";
    return "";
}

bool ignore_glob_match(std::string_view glob, std::string_view path) {
    bool anchored = glob.starts_with('/');
    if (anchored) glob.remove_prefix(1);
    while (glob.ends_with('/')) glob.remove_suffix(1);
    std::vector<std::string> g = segments(glob), p = segments(path);
    if (g.empty()) return false;
    // A bare name matches at any depth, as in .gitignore.
    if (!anchored && glob.find('/') == std::string_view::npos) g.insert(g.begin(), "**");
    return match_segments(g, 0, p, 0);
}

std::vector<std::string> expand_paths(const std::vector<std::string>& args, const WalkOptions& options,
                                      WalkReport* report) {
    Walker walker(options, report);
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& arg : args) {
        if (arg == "-" || fs::is_regular_file(arg, ec)) {
            out.push_back(arg);  // a file named explicitly is always read
        } else if (fs::is_directory(arg, ec)) {
            walker.walk(arg, out);
        } else if (arg.find_first_of("*?[") != std::string::npos) {
            glob_t g{};
            if (::glob(arg.c_str(), 0, nullptr, &g) == 0)
                for (size_t i = 0; i < g.gl_pathc; ++i) {
                    std::string p = g.gl_pathv[i];
                    if (fs::is_directory(p, ec)) walker.walk(p, out);
                    else if (walker.wanted(p, p)) out.push_back(p);
                    else walker.skip(p, "excluded");
                }
            else
                out.push_back(arg);  // reported as missing later, with the others
            globfree(&g);
        } else {
            out.push_back(arg);
        }
    }
    // One file is read once, however it was named: `ciri validate . .env` meets ./.env twice.
    std::set<std::string> seen;
    std::erase_if(out, [&](const std::string& p) {
        return p != "-" && !seen.insert(fs::path(p).lexically_normal().string()).second;
    });
    return out;
}

}  // namespace ciri
