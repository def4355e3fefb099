// From a path (or bytes) to a parsed, detected ConfigFile.
#pragma once

#include <string>

#include "base/error.hpp"
#include "parsers/config_file.hpp"
#include "parsers/reader.hpp"
#include "parsers/registry.hpp"

namespace ciri {

/// What the user said about a file; empty fields are detected.
struct LoadOptions {
    std::string format;   ///< --input-format; empty = from the name, the system, the content
    std::string system;   ///< --system; a known one implies its usual format when the name says none
    std::string version;  ///< --sys-version
    size_t max_bytes = kDefaultMaxBytes;
    ParseLimits limits;
    /// Read everything a validator can: syntax errors become ConfigFile::syntax_errors
    /// instead of failing the load (see parse_recovering), and a file whose format neither
    /// its name, the system nor its content tells is read as key=value lines (properties),
    /// with a note. An Error then only means the input is not a configuration.
    bool recover = false;
};

/// Reads, decodes, detects and parses `path`. Every Error carries the path and, where the
/// input is at fault, the line.
Expected<ConfigFile> load_config(const std::string& path, const LoadOptions& options);

/// As load_config, for bytes already in memory (stdin); `label` stands in for the path.
Expected<ConfigFile> load_config_bytes(const std::string& label, std::string bytes,
                                       const LoadOptions& options);

}  // namespace ciri
