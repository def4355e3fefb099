// `ciri spec learn`: a spec table inferred from configuration files known to be valid.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// The configuration part of a file: for a shot of a shot pool (file, then a "Question:"
/// line, then the answer), the text before that line; otherwise the whole text.
std::string_view config_part(std::string_view text);

/// Loads valid files for learning: each path is a file or a directory (walked recursively,
/// hidden entries skipped, files in name order). Only config_part() of each is parsed, in
/// `system`'s usual format unless `format` is given. Fails on the first file that cannot be
/// read or parsed.
Expected<std::vector<ConfigFile>> load_valid_files(const std::vector<std::filesystem::path>& paths,
                                                   std::string_view system, std::string_view format = {});

/// A spec table learned from valid files: one row per parameter whose values (and name)
/// say what kind it takes, `string` for parameters seen with free text (which turns name
/// guesses off for them), the boolean spellings seen as the `*` row. Values seen are never
/// turned into ranges or enums: a few valid values do not bound what is valid.
SpecSet learn_spec(const std::vector<ConfigFile>& files, std::string_view system);

}  // namespace ciri
