// Choosing the code that reads a file's parameters for its prompt (code augmentation).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prompts/code_index.hpp"

namespace ciri {

/// The reads of one configuration key: the key itself, else (in INI-like formats, where keys
/// are `section.key`) the part after the section. Reads with checks come first, then reader
/// calls before subscripts (`x["key"]`).
std::vector<const CodeRead*> code_reads_for(const CodeIndex& index, std::string_view key, std::string_view format);

/// One read as the prompt shows it: where, the reader, the conversion, the default, the
/// checks, then the source lines, fenced.
std::string render_code_read(const CodeRead& read);

/// The snippets chosen for a prompt.
struct CodeExcerpts {
    std::string text;  ///< rendered snippets, empty when none fit or none were found
    size_t shown = 0;  ///< snippets in `text`
    size_t found = 0;  ///< snippets there were to show
};

/// Snippets for `keys` (the parameters the prompt judges), then for `other_keys` (the file's
/// other parameters), each group's reads with checks first, at most two reads per key, each
/// read once, as many as fit in `max_tokens` (estimate_tokens). No I/O.
CodeExcerpts choose_code_excerpts(const CodeIndex& index, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& other_keys, std::string_view format,
                                  size_t max_tokens);

}  // namespace ciri
