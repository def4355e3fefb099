// The one normalized model every parser produces.
#pragma once

#include <string>
#include <vector>

namespace ciri {

/// One setting of a configuration file, in file order.
struct Parameter {
    /// Normalized key: dotted for nested formats (`zero_optimization.stage`), `key[0]` for
    /// list items, `section.key` for INI, scope-prefixed for Slurm node/partition lines.
    std::string key;
    /// The value as written in the file (quotes kept where the format keeps them verbatim).
    std::string value;
    /// 1-based line of the key.
    int line = 0;
    /// Description or attached comment, where the format has one.
    std::string description;
    /// Section, scope or document the parameter belongs to, where the format has one.
    std::string section;
};

/// A parsed configuration file.
struct ConfigFile {
    std::string path;
    std::string format;   ///< registry name of the format, e.g. "hadoop-xml"
    std::string system;   ///< detected or given system, e.g. "hdfs"; empty when unknown
    std::string version;  ///< system version when the file or the user says it
    std::string text;     ///< decoded text: BOM removed, CRLF turned into LF
    std::vector<Parameter> params;  ///< in file order; duplicate keys kept
};

}  // namespace ciri
