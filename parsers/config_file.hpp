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
    /// The value was written quoted (a YAML quoted or block scalar): a decoder into typed
    /// fields reads it as a string whatever it spells (etcd refuses `snapshot-count: '100'`).
    bool quoted = false;
};

/// A place where the file's format parser could not read the file: itself a finding.
struct SyntaxError {
    int line = 0;         ///< 1-based; never 0 (input that ends too early blames its last line)
    std::string message;  ///< the parser's message, e.g. "unterminated quote"
    std::string key;      ///< the parameter the line names, "" when it names none
    std::string text;     ///< the line as written, trimmed
};

/// A parsed configuration file.
struct ConfigFile {
    std::string path;
    std::string format;   ///< registry name of the format, e.g. "hadoop-xml"
    std::string system;   ///< detected or given system, e.g. "hdfs"; empty when unknown
    std::string version;  ///< system version when the file or the user says it
    std::string text;     ///< decoded text: BOM removed, CRLF turned into LF
    std::vector<Parameter> params;  ///< in file order; duplicate keys kept
    /// Syntax errors found while reading (only when loaded with LoadOptions::recover); the
    /// parameters are then those the parser could still read.
    std::vector<SyntaxError> syntax_errors;
    /// What the reader had to guess, for the user (e.g. a format told by nothing).
    std::vector<std::string> notes;
};

}  // namespace ciri
