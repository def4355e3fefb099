// Which files a validate run looks at: paths, directories and globs as the user gives them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <string_view>
#include <vector>

#include "ciri/ciri_config.hpp"
#include "ciri/report/report.hpp"

namespace ciri {

/// What to walk and what to leave out.
struct WalkOptions {
    std::vector<std::string> include;  ///< globs over paths; empty = everything
    std::vector<std::string> exclude;  ///< globs (see ignore_glob_match), applied after include
    /// `.ciri.yaml` systems: a file one maps is taken though neither its name nor its content
    /// tells a format (it is read as the system's usual one); binaries and documents never are.
    std::vector<SystemMapping> systems;
};

/// What a walk left out; every file in a walked folder that is not returned is here, or sits
/// in a folder that is (a folder never entered counts once, with its reason).
struct WalkReport {
    std::vector<SkippedFile> skipped;
};

/// True when `glob` matches `path` ('/'-separated, relative to where the pattern applies) the
/// way .gitignore patterns do: POSIX fnmatch per path segment (`*`, `?`, `[...]`), `**` as a
/// whole segment for any number of folders; a pattern without a '/' (other than a trailing
/// one) matches the name at any depth; a leading '/' anchors it.
bool ignore_glob_match(std::string_view glob, std::string_view path);

/// How many leading bytes of a file why_not_configuration needs to see.
inline constexpr size_t kSniffBytes = 8192;

/// Why a file is not taken as configuration, or "" when it is: its name tells a format, or
/// (for names that say nothing) its first kSniffBytes `head` do; documents, sources, archives
/// and binaries never are, and a `#!` script only when it reads as launcher arguments, #SBATCH
/// lines or env exports. The walk, --skip-unknown and the git hook all decide with this.
std::string why_not_configuration(const std::string& path, std::string_view head);

/// True when a `.ciri.yaml` mapping in `systems` names `path` (see mapping_for) and the file can
/// be read as text: the user said what it is, so it is taken though its name and `head` tell no
/// format; binaries, documents and sources never are. The walk, --skip-unknown and the git hook
/// all decide with this, after why_not_configuration.
bool mapped_configuration(const std::string& path, std::string_view head, const std::vector<SystemMapping>& systems);

/// The files named by `args`, in the order given, each once (however spelled: `./.env` and
/// `.env` are one file): a file is taken as is (even when its format would have to be
/// named); a directory is walked: `.git`, `node_modules`, virtualenvs and build folders are
/// never entered, `.gitignore` and `.ciriignore` patterns (of each folder walked) are
/// honoured, hidden entries other than `.env*` skipped, and a file is kept when detection
/// can tell its format from its name or, for names that say nothing, from its first 8 KiB
/// (files without an extension included; documents, sources, archives and binaries never;
/// a `#!` script only when it reads as launcher arguments, #SBATCH lines or env exports).
/// A pattern with `*`, `?` or `[` that names no file is expanded as a shell glob; "-" stands
/// for standard input. Paths that do not exist are kept so that loading reports them with the
/// others. Whatever a walk leaves out goes to `report`, with its reason.
std::vector<std::string> expand_paths(const std::vector<std::string>& args, const WalkOptions& options = {},
                                      WalkReport* report = nullptr);

}  // namespace ciri
