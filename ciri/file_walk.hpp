// Which files a validate run looks at: paths, directories and globs as the user gives them.
#pragma once

#include <string>
#include <vector>

namespace ciri {

/// What to walk and what to leave out.
struct WalkOptions {
    std::vector<std::string> include;  ///< globs over paths; empty = everything
    std::vector<std::string> exclude;  ///< globs over paths, applied after include
};

/// The files named by `args`, in the order given, each once: a file is taken as is (even
/// when its format would have to be named); a directory is recursed, hidden entries skipped,
/// keeping the files whose name says a known format; a pattern with `*`, `?` or `[` that
/// names no file is expanded as a shell glob; "-" stands for standard input. Paths that do
/// not exist are kept so that loading reports them with the others.
std::vector<std::string> expand_paths(const std::vector<std::string>& args, const WalkOptions& options = {});

}  // namespace ciri
