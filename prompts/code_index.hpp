// Where a source tree reads its configuration keys: the code index behind code augmentation.
//
// A lexical scanner, no compiler: each C, C++, Java, Go and Python file is cut into tokens
// (comments dropped, string literals kept as values, per language). Two passes over the
// tree: first the constants that hold a key (`static final String K = "a.b"`, `#define K
// "a.b"`, `constexpr`/`const` in C/C++, Go `const`, Python upper-case module names, with
// `+` and adjacent-literal concatenation), then the reads: calls of reader functions
// (`conf.getInt(K, 1)`, `getenv("X")`, `os.Getenv`, `viper.GetDuration`, `flag.Int`,
// `config.getint(s, k)`, `add_argument("--x", type=int)`, `createIntConfig("x", ...)`,
// `x["key"]`) whose key argument is a literal or a resolved constant. For each read: the
// conversion (from the reader's name, an enclosing `atoi`/`parseInt`/`int(...)`, or one
// applied to the assigned variable a few lines on) and the checks on the value in the lines
// that follow (comparisons in `if`/`assert`/`Preconditions.check*`/`require`, `err != nil`),
// and the keys read in the condition of an `if` whose body holds the read (its guards).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// A check on a value read from the configuration.
struct CodeCheck {
    int line = 0;      ///< 1-based line in the source file
    std::string text;  ///< the check as written, trimmed (an `if` with the statement under it)
};

/// One place where a configuration key is read.
struct CodeRead {
    std::string key;         ///< the configuration key
    std::string file;        ///< source file, relative to the indexed root, '/'-separated
    int line = 0;            ///< 1-based line of the reader call
    std::string constant;    ///< the constant the key was passed through; empty for a literal
    std::string call;        ///< the reader as written, e.g. `conf.getInt`
    std::string conversion;  ///< int, long, float, bool, duration, size, list, enum, class,
                             ///< address, path, secret, string; empty when unknown
    std::string fallback;    ///< the default argument as written; may be empty
    std::vector<CodeCheck> checks;  ///< in line order
    std::vector<std::string> lines;  ///< source lines from the read to the last check (at most 12)
    /// Control dependencies: the keys read in the condition of an `if` whose body holds this
    /// read (`if (conf.getBoolean("x")) { conf.get("y") }` gives y the guard x), outermost
    /// first: the key is read only when those checks pass.
    std::vector<std::string> guards;
};

/// A source file as it was when indexed, to tell a stale cache.
struct CodeFileStamp {
    std::string file;  ///< relative to the root, '/'-separated
    std::uintmax_t size = 0;
    std::int64_t mtime = 0;  ///< seconds since the epoch
};

/// The reads of one source tree.
struct CodeIndex {
    std::string root;     ///< absolute path of the indexed tree
    std::string created;  ///< UTC, ISO 8601
    std::vector<CodeFileStamp> files;
    std::vector<CodeRead> reads;  ///< by file, then line

    /// The reads of `key`: exact, else ignoring case and '-' vs '_'. Empty when none.
    /// Needs build_lookup() after `reads` changed (the functions below call it).
    std::vector<const CodeRead*> find(std::string_view key) const;

    /// Rebuilds the key lookup behind find().
    void build_lookup();

    std::map<std::string, std::vector<size_t>, std::less<>> by_key;   ///< key -> reads
    std::map<std::string, std::vector<size_t>, std::less<>> by_norm;  ///< normalised key -> reads
};

/// The language of a source file by its extension: "c" (C and C++), "java", "go", "python",
/// or "" when it is not one ciri indexes.
std::string code_language(const std::filesystem::path& path);

/// Indexes the files of one language's text; `file` is the name recorded in the reads.
/// Constants are resolved within this text only. No I/O.
std::vector<CodeRead> index_source_text(std::string_view text, std::string_view language,
                                        const std::string& file);

/// Indexes every source file under `root` (hidden directories, build trees and vendored
/// `node_modules` skipped; files over 4 MiB skipped), resolving constants across the tree.
/// Fails when `root` is not a directory.
Expected<CodeIndex> index_source_tree(const std::filesystem::path& root);

/// The files of the tree that were added, removed or changed (size or mtime) since `index`
/// was made, '/'-separated and sorted; empty when the index is current.
std::vector<std::string> stale_files(const CodeIndex& index);

/// Writes the index as JSON (atomically). The file names the tree and when it was indexed.
Expected<void> write_code_index(const CodeIndex& index, const std::filesystem::path& path);

/// Reads an index written by write_code_index; fails, with what is wrong, on anything else.
Expected<CodeIndex> read_code_index(const std::filesystem::path& path);

/// Where `ciri code index` keeps the cache of `root` by default:
/// $XDG_CACHE_HOME/ciri/code/<sha256 of the absolute path>.json, else under ~/.cache;
/// empty when neither variable is set.
std::filesystem::path default_code_cache(const std::filesystem::path& root);

/// The index a run uses for `path`: a cache file written by `ciri code index`, or a source
/// directory (its default cache when there is one, else indexed now). A stale cache is not
/// used: the tree is indexed again and `notes` say so, with what to run.
Expected<CodeIndex> load_code_index(const std::filesystem::path& path, std::vector<std::string>& notes);

}  // namespace ciri
