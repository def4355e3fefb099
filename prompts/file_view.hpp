// How the file under test (and the shots) are shown in a prompt: the raw text, or a compact
// view of one `LINE: key = value` line per parameter that keeps the file's line numbers.
//
// The compact view leaves out what the parsers do not read as parameters: comments, blank
// lines, XML descriptions and other elements (<final>, attributes), quoting and nesting
// (a nested key is shown dotted, as ciri names it). Every parameter, its verbatim value and
// its line are kept, so answers name the same keys and findings point to the same lines;
// the meaning a description or comment carries is lost to the model.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/config_file.hpp"

namespace ciri {

/// --file-view.
enum class FileView { raw, compact };

/// "raw" or "compact".
std::string_view file_view_name(FileView view);

/// The view named `name`; nullopt when it is neither "raw" nor "compact".
std::optional<FileView> parse_file_view(std::string_view name);

/// The names parse_file_view() accepts.
const std::vector<std::string>& file_view_names();

/// Parameters [begin, end) of `file`, one line each: `LINE: key = value` with the parameter's
/// 1-based line in the file (a parameter without one takes the previous one's), the value
/// verbatim except that a line break is written `\n`. Every line ends with '\n'.
std::string compact_view(const ConfigFile& file, size_t begin, size_t end);

/// compact_view of all of `file`.
std::string compact_view(const ConfigFile& file);

/// A shot's config in the compact view, read with its system's format; nullopt when the
/// system is unknown or the config does not parse (the shot is then shown raw).
std::optional<std::string> compact_shot_config(std::string_view system, const std::string& config);

/// True when every parameter in [begin, end) is written, key as ciri names it, on its own
/// line of the raw text (flat formats: properties, conf, Hadoop XML's <name>); false for
/// nested keys (YAML, JSON, TOML tables, INI sections), which a prompt must then list.
bool keys_written_as_is(const ConfigFile& file, size_t begin, size_t end);

/// What the compact view is, said once in the prompt's static part.
std::string_view compact_view_note();

}  // namespace ciri
