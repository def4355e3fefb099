// Which format a file is in and which system it configures: tables, not if-chains.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/config_file.hpp"

namespace ciri {

/// One row of the system table.
struct SystemInfo {
    std::string_view name;     ///< used by --system and in output, e.g. "hdfs"
    std::string_view title;    ///< as people write it, e.g. "HDFS"; used in prompts
    std::string_view format;   ///< registry name of its usual format
    std::vector<std::string_view> file_globs;   ///< file names that identify it
    std::vector<std::string_view> key_markers;  ///< key prefixes (ending in '.' or '_')
                                                ///< or exact keys that identify it
};

/// All known systems, in the order `ciri systems` lists them.
std::span<const SystemInfo> systems();

/// The system called `name`, or nullptr.
const SystemInfo* find_system(std::string_view name);

/// The format of a file from its name (extension or well-known name), then from its
/// content; "" when neither says.
std::string detect_format(std::string_view path, std::string_view text);

/// The system a parsed file configures: from its file name, then from how many of its
/// keys carry a system's markers; "" when nothing fits well enough.
std::string detect_system(std::string_view path, const std::vector<Parameter>& params);

/// A version the file states about itself in its leading comments, as in
/// "# Redis configuration file example for Redis 7.0"; "" when there is none.
std::string detect_version(const SystemInfo& system, std::string_view text);

/// True when `name` matches the shell-style `glob` (`*` and `?` only), case-insensitively.
bool glob_match(std::string_view glob, std::string_view name);

}  // namespace ciri
