// From a parsed file to the prompts sent for it: template, shots, token budget, chunks.
//
// Token estimate: ceil(bytes / 4) over system message and user message. It needs no
// tokenizer and is close for English and config text with BPE tokenizers (about 4 bytes
// per token); budgets leave room for the error.
//
// Budget: when a prompt is over `max_tokens`, shots are dropped, largest first, until it
// fits; only with no shot left is the file cut. Cutting, and a file with more than
// `max_params` parameters, splits the file into chunks of consecutive parameters, each
// validated separately. A chunk's text is an exact excerpt of the file (whole lines, from
// the comments and opening lines just above its first parameter to the line before the
// next chunk), and its prompt says it is an excerpt.
//
// View (--file-view): the file's text (raw), or compact_view() of its parameters, which keeps
// their lines (prompts/file_view.hpp); shots are shown the same way. The parameter list
// ({param_names}) is only filled when the raw text does not write the keys as ciri names them.
//
// Code (--code-dir): excerpts of the source code that reads the chunk's parameters fill the
// room the budget leaves once shots and the file are placed (at most `max_code_tokens`):
// the chunk's parameters first, those with checks first (prompts/code_snippets.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/config_file.hpp"
#include "prompts/code_index.hpp"
#include "prompts/file_view.hpp"
#include "prompts/prompt.hpp"
#include "prompts/shot_pool.hpp"
#include "prompts/shot_texts.hpp"
#include "prompts/shot_selection.hpp"
#include "prompts/template.hpp"

namespace ciri {

/// What to build.
struct PromptOptions {
    std::string prompt = "default";        ///< --prompt: template name or path
    std::vector<std::string> prompt_dirs;  ///< --prompt-dir, searched before the shipped ones
    std::string shots_dir;                 ///< --shots; "" = datasets/ of ciri's source tree
    SelectionOptions selection;            ///< --shot-selection, --valid-shots, ...
    /// --file-view: the file and the shots as written, or one `LINE: key = value` line per
    /// parameter. Set it with set_file_view(), which tells the shot selection too.
    FileView file_view = FileView::raw;
    /// When set, these shots are used as given, in order, and no pool is read (replays of
    /// the artifact's recorded shots; tests).
    std::optional<std::vector<Shot>> shots;
    size_t max_tokens = 0;   ///< prompt budget in estimated tokens; 0 = no limit
    size_t max_params = 40;  ///< --max-params: more parameters than this are split; 0 = no limit
    /// Facts about the job the file does not hold (--context), one per line as
    /// Facts::describe gives them; the prompt states them as `{context}`.
    std::vector<std::string> context;
    /// Where the system's source reads its parameters (--code-dir); null = no code excerpts.
    std::shared_ptr<const CodeIndex> code;
    size_t max_code_tokens = 2000;  ///< most tokens of code excerpts per prompt
    /// The run's rendered shot lists (null: each file renders its shots itself).
    std::shared_ptr<ShotTexts> shot_texts;
};

/// The prompt for one chunk of a file and what it covers.
struct PromptChunk {
    Prompt prompt;
    std::vector<std::string> keys;  ///< keys of the parameters it covers, in file order
    size_t first_param = 0;         ///< index into ConfigFile::params of its first parameter
    size_t param_count = 0;
    int first_line = 0;  ///< 1-based lines of the file its text spans
    int last_line = 0;
    size_t tokens = 0;  ///< estimate_tokens(prompt)
};

/// Everything built for one file.
struct BuiltPrompts {
    /// One chunk for a whole file; several, in file order, when it was split. Every
    /// parameter of the file is in exactly one chunk.
    std::vector<PromptChunk> chunks;
    std::vector<Shot> shots;         ///< the shots the prompts show (after budget drops)
    std::string borrowed_from;       ///< set when the shots are another system's
    std::vector<std::string> notes;  ///< borrowing, dropped shots, splitting, over budget
};

/// Sets options.file_view and what the shot selection needs to know of it.
void set_file_view(PromptOptions& options, FileView view);

/// ceil(bytes / 4).
size_t estimate_tokens(std::string_view text);

/// The estimate for a whole prompt: system message plus user message.
size_t estimate_tokens(const Prompt& prompt);

/// A prompt budget for `model`: its context window less 2048 tokens kept for the answer,
/// from a table of the paper's models and common families; 8192 - 2048 when unknown.
size_t default_token_budget(std::string_view model);

/// Builds the prompts for `file` with an already loaded template and chosen shots. No I/O.
BuiltPrompts build_prompts(const ConfigFile& file, const Template& tpl, std::vector<Shot> shots,
                           const PromptOptions& options);

/// Loads the template, picks the shots (options.shots, else select_shots from the pool
/// dir) and builds. Throws UserError when the template or the shots dir cannot be used.
BuiltPrompts build_prompts(const ConfigFile& file, const PromptOptions& options);

}  // namespace ciri
