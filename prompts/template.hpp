// Prompt templates: text files with sections and placeholders, loaded at run time.
//
// A template is prompts/templates/NAME.txt (or NAME.txt in a --prompt-dir). Syntax:
//
//   Lines before the first section marker are comments for the template's author.
//   A marker is a whole line `=== NAME ===`; NAME is one of
//     system          the system message (may be absent: then there is none)
//     prefix          the static start of the user message: instructions and shots
//     body            the per-file part: the file, its parameters, the question (required)
//     shot            how one shot is written (default `{shot_text}`)
//     shot_separator  what goes between two shots (default one blank line)
//     titles          `name = Title` lines overriding how a system is called in {system}
//   A section's text is every line up to the next marker, verbatim, less the final line
//   break: end a section with an empty line to make its text end with "\n".
//
//   `{name}` is a placeholder (names are [a-z_]+ and must be known: a typo is an error
//   when the template is loaded). Other braces, such as JSON examples, are plain text.
//   `[[ ... ]]` is an optional segment: it is left out when a placeholder inside it is
//   empty, e.g. `for {system}[[ version {version}]]?`. Segments do not nest.
//   Values are inserted once, never re-read, so a file containing `{x}` or `[[` is safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// Placeholder values by name.
using TemplateValues = std::map<std::string, std::string, std::less<>>;

/// A loaded template.
struct Template {
    std::string name;  ///< as given to --prompt
    std::string path;  ///< the file it was read from; empty when parsed from memory
    std::string system;
    std::string prefix;
    std::string body;
    std::string shot = "{shot_text}";
    std::string shot_separator = "\n\n";
    /// System name -> title to use instead of SystemInfo::title (the paper writes "HCommon").
    std::map<std::string, std::string, std::less<>> titles;
};

/// The placeholders every section may use, with what each holds.
const std::map<std::string_view, std::string_view>& template_placeholders();

/// The placeholders only the `shot` section may use, with what each holds.
const std::map<std::string_view, std::string_view>& shot_placeholders();

/// Parses template text. Fails, with the 1-based line, on an unknown section or
/// placeholder, a repeated section, an unbalanced or nested `[[ ]]`, or a missing body.
Expected<Template> parse_template(std::string_view text, std::string name);

/// Where templates are looked for, in order: the --prompt-dir dirs as given, then the
/// templates shipped with ciri (prompts/templates in the source tree).
std::vector<std::filesystem::path> template_dirs(const std::vector<std::string>& prompt_dirs);

/// Loads template `name`: NAME.txt from the first dir of template_dirs() that has it.
/// A name containing '/' or ending in ".txt" is read as a path instead. Fails when no dir
/// has it (the message lists the dirs searched) or the file does not parse.
Expected<Template> load_template(std::string_view name,
                                 const std::vector<std::string>& prompt_dirs = {});

/// The names of all templates found on the search path, sorted, each listed once.
std::vector<std::string> list_templates(const std::vector<std::string>& prompt_dirs = {});

/// `text` with each `{name}` replaced by its value (absent names count as empty) and
/// each `[[ ]]` segment kept, without its brackets, only when all its placeholders are
/// non-empty. Assumes `text` passed parse_template's checks.
std::string fill_template(std::string_view text, const TemplateValues& values);

}  // namespace ciri
