#include "prompts/prompt_builder.hpp"

#include <algorithm>
#include <filesystem>

#include "parsers/detect.hpp"
#include "parsers/registry.hpp"
#include "prompts/code_snippets.hpp"
#include "prompts/file_view.hpp"

namespace ciri {

namespace {

// A run of consecutive parameters, [begin, end) into ConfigFile::params.
struct Range {
    size_t begin = 0;
    size_t end = 0;
};

// Where each line starts in the text; one extra entry at the end holds text.size().
struct Lines {
    std::vector<size_t> starts;
    int count() const { return static_cast<int>(starts.size()) - 1; }
};

Lines index_lines(std::string_view text) {
    Lines lines;
    size_t pos = 0;
    while (pos < text.size()) {
        lines.starts.push_back(pos);
        size_t nl = text.find('\n', pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    lines.starts.push_back(text.size());
    return lines;
}

std::string_view line_at(std::string_view text, const Lines& lines, int line) {
    std::string_view s =
        text.substr(lines.starts[line - 1], lines.starts[line] - lines.starts[line - 1]);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string_view trimmed(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// A line that belongs with the parameter below it: a comment, or a line that only opens
// a structure (an XML start tag, `"key": {`, a YAML parent `key:`, an INI `[section]`).
bool leads_into_next(std::string_view line) {
    std::string_view t = trimmed(line);
    if (t.empty()) return false;
    if (t.starts_with('#') || t.starts_with(';') || t.starts_with("//") || t.starts_with("<!--"))
        return true;
    if (t.starts_with('<'))
        return !t.starts_with("</") && !t.starts_with("<?") && t.ends_with('>') &&
               !t.ends_with("/>") && t.find("</") == std::string_view::npos;
    if (t.starts_with('[') && t.ends_with(']')) return true;
    return t.ends_with('{') || t.ends_with('[') || t.ends_with(':');
}

// The line of each parameter; a parameter without one shares the previous one's.
std::vector<int> lines_of_params(const ConfigFile& file) {
    std::vector<int> out;
    int last = 1;
    for (const Parameter& p : file.params) {
        if (p.line > 0) last = std::max(last, p.line);
        out.push_back(last);
    }
    return out;
}

// The nearest boundary to `want` inside (r.begin, r.end) that does not separate parameters
// written on one line; 0 when there is none.
size_t boundary_near(const Range& r, size_t want, const std::vector<int>& lines) {
    auto fits = [&](size_t b) { return b > r.begin && b < r.end && lines[b] != lines[b - 1]; };
    for (size_t d = 0; d < r.end - r.begin; ++d) {
        if (fits(want + d)) return want + d;
        if (d <= want && fits(want - d)) return want - d;
    }
    return 0;
}

// Splits `r` into up to `parts` balanced ranges along line boundaries.
std::vector<Range> split_range(const Range& r, size_t parts, const std::vector<int>& lines) {
    std::vector<Range> out;
    size_t begin = r.begin;
    size_t n = r.end - r.begin;
    for (size_t k = 1; k < parts; ++k) {
        size_t want = r.begin + (n * k + parts / 2) / parts;
        size_t b = boundary_near(Range{begin, r.end}, std::max(want, begin + 1), lines);
        if (b == 0) break;
        out.push_back({begin, b});
        begin = b;
    }
    out.push_back({begin, r.end});
    return out;
}

std::string lang_of(std::string_view format) {
    static const std::pair<std::string_view, std::string_view> kLangs[] = {
        {"hadoop-xml", "xml"},
        {"xml", "xml"},
        {"json", "json"},
        {"yaml", "yaml"},
        {"toml", "toml"},
        {"ini", "ini"},
        {"properties", "properties"},
        {"python", "python"},
        {"sbatch", "bash"},
        {"env", "bash"},
        {"conf", "ini"},
    };
    for (auto [f, lang] : kLangs)
        if (f == format) return std::string(lang);
    return "";
}

// A code fence longer than any backtick run in `text`, so the text cannot close it.
std::string fenced(std::string_view text, std::string_view lang) {
    size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    std::string fence(std::max<size_t>(3, longest + 1), '`');
    std::string out = fence + std::string(lang) + "\n" + std::string(text);
    if (!text.empty() && !text.ends_with('\n')) out += '\n';
    return out + fence;
}

std::string param_listing(const ConfigFile& file, const Range& r) {
    constexpr size_t kMaxShown = 200;  // the fenced file has the whole value
    std::string out;
    for (size_t i = r.begin; i < r.end; ++i) {
        const Parameter& p = file.params[i];
        std::string value;
        for (char c : p.value) value += c == '\n' ? std::string("\\n") : std::string(1, c);
        if (value.size() > kMaxShown) value = value.substr(0, kMaxShown) + "...";
        if (!out.empty()) out += '\n';
        out += "- " + p.key + " (line " + std::to_string(p.line) + "): " + value;
    }
    return out;
}

// Keys and lines only: the values are in the file shown above the list.
std::string param_names(const ConfigFile& file, const Range& r) {
    std::string out;
    for (size_t i = r.begin; i < r.end; ++i) {
        const Parameter& p = file.params[i];
        if (!out.empty()) out += '\n';
        out += "- " + p.key + " (line " + std::to_string(p.line) + ")";
    }
    return out;
}

std::string shot_label(const Shot& s) {
    return s.valid ? "valid configuration" : "misconfiguration (" + s.category + ")";
}

// A shot's config in the compact view: the pool's index made it; shots given by hand are
// converted here. Nullopt when it does not parse: the shot is then shown as written.
std::optional<std::string> compact_config(const Shot& s) {
    if (!s.compact_config.empty()) return s.compact_config;
    return compact_shot_config(s.system, s.config);
}

std::string render_shot(const Template& tpl, const Shot& s, size_t number, FileView view) {
    std::string lang;
    if (const SystemInfo* info = find_system(s.system)) lang = lang_of(info->format);
    std::string config = s.config;
    if (view == FileView::compact)
        if (auto compact = compact_config(s)) config = std::move(*compact), lang.clear();
    TemplateValues v = {
        {"shot_text", s.text},
        {"shot_config", config},
        {"shot_fenced", fenced(config, lang)},
        {"shot_answer", s.answer_json},
        {"shot_label", shot_label(s)},
        {"shot_category", s.category},
        {"shot_number", std::to_string(number)},
    };
    return fill_template(tpl.shot, v);
}

std::string render_shots(const Template& tpl, const std::vector<Shot>& shots, FileView view) {
    std::string out;
    for (size_t i = 0; i < shots.size(); ++i) {
        if (i) out += tpl.shot_separator;
        out += render_shot(tpl, shots[i], i + 1, view);
    }
    return out;
}

// Builds the prompts for a fixed partition of the parameters.
class ChunkRenderer {
  public:
    ChunkRenderer(const ConfigFile& file, const Template& tpl, const std::vector<std::string>& context = {},
                  FileView view = FileView::raw, ShotTexts* shot_texts = nullptr)
        : file_(file), tpl_(tpl), view_(view), shot_texts_(shot_texts) {
        lines_ = index_lines(file.text);
        plines_ = lines_of_params(file);
        // A line past the end (a parser's slip) must not index past the text.
        for (int& line : plines_) line = std::clamp(line, 1, std::max(1, lines_.count()));
        std::string title;
        if (auto it = tpl.titles.find(file.system); it != tpl.titles.end())
            title = it->second;
        else if (const SystemInfo* info = find_system(file.system))
            title = info->title;
        else
            title = file.system;
        std::string summary;
        if (const Format* f = find_format(file.format)) summary = f->summary;
        base_ = {
            {"system", title},
            {"system_name", file.system},
            {"version", file.version},
            {"format", file.format},
            {"format_summary", summary},
            {"lang", lang_of(file.format)},
            {"file_name", std::filesystem::path(file.path).filename().string()},
            {"view_note", view == FileView::compact ? std::string(compact_view_note()) : ""},
            {"context", [&] {
                 std::string out;
                 for (const auto& c : context) out += (out.empty() ? "" : "; ") + c;
                 return out;
             }()},
        };
    }

    const std::vector<int>& param_lines() const { return plines_; }

    // The first file line of range `r`: line 1 for the first range, else the line of its
    // first parameter pulled up over the comments and opening lines just above it.
    int first_line(const Range& r) const {
        if (r.begin == 0) return 1;
        int s = plines_[r.begin];
        while (s - 1 > plines_[r.begin - 1] && leads_into_next(line_at(file_.text, lines_, s - 1)))
            --s;
        return s;
    }

    // `code[k]`, when given, is the code excerpts shown with range k.
    std::vector<PromptChunk> render(const std::vector<Range>& ranges, const std::vector<Shot>& shots,
                                    const std::vector<std::string>& code = {}) const {
        TemplateValues v = base_;
        auto render = [&] { return render_shots(tpl_, shots, view_); };
        v["shots"] = shot_texts_ ? shot_texts_->get(shots, view_, render) : render();
        v["shot_count"] = std::to_string(shots.size());
        std::string system = fill_template(tpl_.system, v);
        std::string prefix = fill_template(tpl_.prefix, v);
        std::vector<PromptChunk> out;
        for (size_t k = 0; k < ranges.size(); ++k) {
            const Range& r = ranges[k];
            PromptChunk chunk;
            chunk.first_param = r.begin;
            chunk.param_count = r.end - r.begin;
            for (size_t i = r.begin; i < r.end; ++i) chunk.keys.push_back(file_.params[i].key);
            chunk.first_line = ranges.size() == 1 ? 1 : first_line(r);
            chunk.last_line =
                k + 1 < ranges.size() ? first_line(ranges[k + 1]) - 1 : lines_.count();
            std::string text;
            if (view_ == FileView::compact) {
                text = compact_view(file_, r.begin, r.end);
            } else if (ranges.size() == 1) {
                text = file_.text;
            } else {
                size_t from = lines_.starts[chunk.first_line - 1];
                text = file_.text.substr(from, lines_.starts[chunk.last_line] - from);
            }
            if (ranges.size() > 1) {
                v["excerpt"] =
                    "part " + std::to_string(k + 1) + " of " + std::to_string(ranges.size()) +
                    ": lines " + std::to_string(chunk.first_line) + "-" +
                    std::to_string(chunk.last_line) + " of " + std::to_string(lines_.count()) +
                    ", parameters " + std::to_string(r.begin + 1) + "-" + std::to_string(r.end) +
                    " of " + std::to_string(file_.params.size());
            }
            v["file"] = text;
            v["fenced_file"] = fenced(text, view_ == FileView::compact ? "" : v["lang"]);
            v["params"] = param_listing(file_, r);
            // The list adds only the names ciri reads: the compact view and a flat file's
            // text already write every key as ciri names it.
            v["param_names"] = view_ == FileView::raw && !keys_written_as_is(file_, r.begin, r.end)
                                   ? param_names(file_, r)
                                   : "";
            v["param_count"] = std::to_string(chunk.param_count);
            v["code"] = k < code.size() ? code[k] : "";
            chunk.prompt = Prompt{system, prefix, fill_template(tpl_.body, v)};
            chunk.tokens = estimate_tokens(chunk.prompt);
            out.push_back(std::move(chunk));
        }
        return out;
    }

  private:
    const ConfigFile& file_;
    const Template& tpl_;
    FileView view_;
    ShotTexts* shot_texts_;
    Lines lines_;
    std::vector<int> plines_;
    TemplateValues base_;
};

size_t largest_tokens(const std::vector<PromptChunk>& chunks) {
    size_t most = 0;
    for (const PromptChunk& c : chunks) most = std::max(most, c.tokens);
    return most;
}

// Code excerpts go into the room the budget leaves: they never displace the file or a shot.
void add_code(const ConfigFile& file, const ChunkRenderer& renderer, const std::vector<Range>& ranges,
              const std::vector<Shot>& shots, const PromptOptions& options, std::vector<PromptChunk>& chunks,
              std::vector<std::string>& notes) {
    constexpr size_t kFrame = 48;  // the template's words around the excerpts
    size_t budget = options.max_tokens;
    std::vector<std::string> code(ranges.size());
    std::vector<size_t> shown_in(ranges.size());
    size_t found = 0;
    for (size_t k = 0; k < ranges.size(); ++k) {
        std::vector<std::string> keys, others;
        for (size_t i = 0; i < file.params.size(); ++i)
            (i >= ranges[k].begin && i < ranges[k].end ? keys : others).push_back(file.params[i].key);
        size_t room = budget == 0 ? options.max_code_tokens
                                  : std::min(options.max_code_tokens,
                                             chunks[k].tokens + kFrame < budget ? budget - chunks[k].tokens - kFrame : 0);
        CodeExcerpts ex = choose_code_excerpts(*options.code, keys, others, file.format, room);
        code[k] = std::move(ex.text);
        shown_in[k] = ex.shown, found += ex.found;
    }
    if (found == 0) {
        notes.push_back("code: no parameter of this file is read in " + options.code->root +
                        " (as far as ciri's scanner can tell)");
        return;
    }
    auto with_code = renderer.render(ranges, shots, code);
    size_t shown = 0;
    for (size_t k = 0; k < ranges.size(); ++k)
        if (budget == 0 || with_code[k].tokens <= budget) {  // else the template's words ran over
            chunks[k] = std::move(with_code[k]);
            shown += shown_in[k];
        }
    if (shown < found)
        notes.push_back("code: " + std::to_string(shown) + " of " + std::to_string(found) +
                        " code excerpts fit the prompt budget");
}

}  // namespace

void set_file_view(PromptOptions& options, FileView view) {
    options.file_view = view;
    options.selection.compact = view == FileView::compact;
}

size_t estimate_tokens(std::string_view text) {
    return (text.size() + 3) / 4;
}

size_t estimate_tokens(const Prompt& prompt) {
    // The user message's size without joining it (a copy of the whole prompt per chunk).
    return estimate_tokens(prompt.system) + (prompt.prefix.size() + prompt.body.size() + 3) / 4;
}

size_t default_token_budget(std::string_view model) {
    constexpr size_t kAnswerReserve = 2048;
    // Context windows by model-name prefix; the first match wins, so longer prefixes first.
    static const std::pair<std::string_view, size_t> kWindows[] = {
        {"gpt-4o", 128'000},
        {"gpt-4-turbo", 128'000},
        {"gpt-4-0125", 128'000},
        {"gpt-4-1106", 128'000},
        {"gpt-4.1", 1'000'000},
        {"gpt-4-32k", 32'768},
        {"gpt-4", 8'192},
        {"gpt-3.5-turbo", 16'385},
        {"gpt-5", 400'000},
        {"o1", 200'000},
        {"o3", 200'000},
        {"o4", 200'000},
        {"claude", 200'000},
        {"gemini", 1'000'000},
        {"CodeLlama", 16'384},
        {"codellama", 16'384},
        {"deepseek-coder", 16'384},
        {"llama3", 8'192},
        {"llama-3", 8'192},
        {"qwen", 32'768},
        {"mistral", 32'768},
    };
    for (auto [prefix, window] : kWindows)
        if (model.starts_with(prefix)) return window - kAnswerReserve;
    return 8192 - kAnswerReserve;
}

BuiltPrompts build_prompts(const ConfigFile& file, const Template& tpl, std::vector<Shot> shots,
                           const PromptOptions& options) {
    BuiltPrompts out;
    ChunkRenderer renderer(file, tpl, options.context, options.file_view, options.shot_texts.get());
    const std::vector<int>& lines = renderer.param_lines();
    Range all{0, file.params.size()};
    std::vector<Range> ranges{all};
    if (options.max_params > 0 && all.end > options.max_params) {
        size_t parts = (all.end + options.max_params - 1) / options.max_params;
        ranges = split_range(all, parts, lines);
        out.notes.push_back(std::to_string(all.end) + " parameters, more than " +
                            std::to_string(options.max_params) + ": split into " +
                            std::to_string(ranges.size()) + " chunks");
    }
    auto chunks = renderer.render(ranges, shots);
    size_t budget = options.max_tokens;
    // Shots go before the file is touched: the file is what is being judged.
    while (budget > 0 && !shots.empty() && largest_tokens(chunks) > budget) {
        auto largest = std::ranges::max_element(
            shots, {}, [&](const Shot& s) { return render_shot(tpl, s, 1, options.file_view).size(); });
        out.notes.push_back("dropped shot " + largest->system + "/" + largest->id + " (" +
                            std::to_string(estimate_tokens(render_shot(tpl, *largest, 1, options.file_view))) +
                            " tokens) to fit the budget of " + std::to_string(budget) + " tokens");
        shots.erase(largest);
        chunks = renderer.render(ranges, shots);
    }
    size_t chunks_before_cut = ranges.size();
    // Then the file is cut: halve every chunk that is still over, while it can be halved.
    for (bool changed = budget > 0; changed;) {
        changed = false;
        std::vector<Range> next;
        for (size_t k = 0; k < ranges.size(); ++k) {
            auto parts = chunks[k].tokens > budget ? split_range(ranges[k], 2, lines)
                                                   : std::vector<Range>{ranges[k]};
            changed |= parts.size() > 1;
            next.insert(next.end(), parts.begin(), parts.end());
        }
        if (changed) {
            ranges = std::move(next);
            chunks = renderer.render(ranges, shots);
        }
    }
    if (ranges.size() > chunks_before_cut)
        out.notes.push_back("split into " + std::to_string(ranges.size()) +
                            " chunks to fit the budget of " + std::to_string(budget) + " tokens");
    for (const PromptChunk& c : chunks)
        if (budget > 0 && c.tokens > budget)
            out.notes.push_back("prompt for lines " + std::to_string(c.first_line) + "-" +
                                std::to_string(c.last_line) + " is " + std::to_string(c.tokens) +
                                " tokens, over the budget of " + std::to_string(budget) +
                                " even without shots");
    if (options.code) add_code(file, renderer, ranges, shots, options, chunks, out.notes);
    // A shot shown raw in a compact prompt is no error, but the view is not what was asked:
    // said once per file, with the shots it concerns.
    if (options.file_view == FileView::compact) {
        std::string raw;
        size_t n = 0;
        for (const Shot& s : shots)
            if (!compact_config(s)) raw += (n++ ? ", " : "") + s.system + "/" + s.id;
        if (n == 1) out.notes.push_back("compact view: shot " + raw + " shown as written: its config does not parse");
        if (n > 1) out.notes.push_back("compact view: shots " + raw + " shown as written: their configs do not parse");
    }
    out.chunks = std::move(chunks);
    out.shots = std::move(shots);
    return out;
}

BuiltPrompts build_prompts(const ConfigFile& file, const PromptOptions& options) {
    auto user_error = [](const Error& e) {
        return UserError(e.path.empty() ? e.message : e.path + ": " + e.message);
    };
    auto tpl = load_template(options.prompt, options.prompt_dirs);
    if (!tpl) throw user_error(tpl.error());
    std::vector<Shot> shots;
    std::vector<std::string> notes;
    std::string borrowed;
    if (options.shots) {
        shots = *options.shots;
    } else if (options.selection.valid_shots + options.selection.misconfig_shots > 0) {
        std::filesystem::path dir = options.shots_dir;
        if (dir.empty())
            dir = default_shots_dir();
        else if (!std::filesystem::is_directory(dir))
            throw UserError("shots directory not found: " + options.shots_dir);
        SelectionOptions selection = options.selection;
        selection.compact = options.file_view == FileView::compact;
        auto picked = select_shots(file, dir, selection);
        if (!picked) throw user_error(picked.error());
        shots = std::move(picked->shots);
        notes = std::move(picked->notes);
        borrowed = std::move(picked->borrowed_from);
    }
    BuiltPrompts built = build_prompts(file, *tpl, std::move(shots), options);
    built.notes.insert(built.notes.begin(), notes.begin(), notes.end());
    built.borrowed_from = std::move(borrowed);
    return built;
}

}  // namespace ciri
