#include "prompts/template.hpp"
#include "base/data_dir.hpp"
#include "parsers/reader.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ciri {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string_view> kSections = {"system", "prefix",         "body",
                                                 "shot",   "shot_separator", "titles"};

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
}

// A marker line is exactly `=== name ===`; returns the name or "".
std::string_view marker_name(std::string_view line) {
    if (!line.starts_with("=== ") || !line.ends_with(" ===") || line.size() < 9) return {};
    std::string_view name = line.substr(4, line.size() - 8);
    if (name.empty() || !std::ranges::all_of(name, is_name_char)) return {};
    return name;
}

// Checks the placeholders and segments of one section; `first_line` is the template line
// of the section's first line so errors point into the file.
Expected<void> check_section(std::string_view text, std::string_view section, int first_line) {
    bool in_segment = false;
    int line = first_line;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (text.substr(i).starts_with("[[")) {
            if (in_segment) return fail("nested '[[' in section " + std::string(section), line);
            in_segment = true;
            ++i;
        } else if (text.substr(i).starts_with("]]")) {
            if (!in_segment)
                return fail("']]' without '[[' in section " + std::string(section), line);
            in_segment = false;
            ++i;
        } else if (c == '{') {
            size_t end = i + 1;
            while (end < text.size() && is_name_char(text[end])) ++end;
            if (end == i + 1 || end >= text.size() || text[end] != '}') continue;
            std::string name(text.substr(i + 1, end - i - 1));
            bool known = template_placeholders().contains(name) ||
                         (section == "shot" && shot_placeholders().contains(name));
            if (!known)
                return fail("unknown placeholder {" + name + "} in section " + std::string(section),
                            line);
            i = end;
        }
    }
    if (in_segment) return fail("'[[' without ']]' in section " + std::string(section), line);
    return {};
}

// Bounded, and only a regular file: a template may be a repository's file (a FIFO would block).
Expected<std::string> read_file(const fs::path& path) {
    auto text = read_text_file(path);
    if (!text) return fail("cannot read " + path.string() + ": " + text.error().message);
    return text;
}

}  // namespace

const std::map<std::string_view, std::string_view>& template_placeholders() {
    static const std::map<std::string_view, std::string_view> kPlaceholders = {
        {"system", "the system as people write it, e.g. PostgreSQL; empty when unknown"},
        {"system_name", "the system's registry name, e.g. postgresql"},
        {"version", "the system version, from the file, the config or --sys-version"},
        {"format", "the registry name of the file's format, e.g. hadoop-xml"},
        {"format_summary", "one line describing the format"},
        {"lang", "a code-fence language for the format, e.g. xml; may be empty"},
        {"file_name", "the file's base name"},
        {"file", "the file text verbatim (for a chunk: its excerpt), or its compact view (--file-view compact)"},
        {"fenced_file", "the file text inside a code fence longer than any fence in it"},
        {"params", "one line per parameter: - `key` (line N) = value"},
        {"param_names", "one line per parameter: - `key` (line N); empty when the file shown writes every key as ciri names it"},
        {"view_note", "what the compact view is (--file-view compact); empty for the raw view"},
        {"param_count", "how many parameters the file (or chunk) has"},
        {"shots", "the shots, each written by the shot section, separated by shot_separator"},
        {"shot_count", "how many shots"},
        {"excerpt", "for a chunk, which lines and parameters it holds; empty for a whole file"},
        {"context", "facts about the job the file does not hold (--context), separated by '; '; may be empty"},
        {"code", "excerpts of the source code that reads the parameters (--code-dir), fenced; may be empty"},
    };
    return kPlaceholders;
}

const std::map<std::string_view, std::string_view>& shot_placeholders() {
    static const std::map<std::string_view, std::string_view> kPlaceholders = {
        {"shot_text", "the shot as in its pool: config, question and answer"},
        {"shot_config", "the shot's configuration file"},
        {"shot_fenced", "the shot's configuration inside a code fence"},
        {"shot_answer", "the shot's JSON answer"},
        {"shot_label", "'valid configuration' or 'misconfiguration (<category>)'"},
        {"shot_category", "the misconfiguration category; empty for valid shots"},
        {"shot_number", "1-based position of the shot in the prompt"},
    };
    return kPlaceholders;
}

Expected<Template> parse_template(std::string_view text, std::string name) {
    Template tpl;
    tpl.name = std::move(name);
    std::set<std::string, std::less<>> seen;
    std::string_view current;  // empty while in the leading comment
    std::string content;
    int content_line = 0;
    auto flush = [&]() -> Expected<void> {
        if (current.empty()) return {};
        if (!content.empty()) content.pop_back();  // the final line break
        if (current == "titles") {
            std::istringstream lines(content);
            std::string line;
            int n = content_line;
            for (; std::getline(lines, line); ++n) {
                auto first = line.find_first_not_of(" \t");
                if (first == std::string::npos || line[first] == '#') continue;
                auto eq = line.find('=');
                if (eq == std::string::npos) return fail("titles: expected 'name = Title'", n);
                auto trim = [](std::string s) {
                    s.erase(0, s.find_first_not_of(" \t"));
                    s.erase(s.find_last_not_of(" \t") + 1);
                    return s;
                };
                tpl.titles[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
            }
            return {};
        }
        if (auto ok = check_section(content, current, content_line); !ok) return ok;
        if (current == "system")
            tpl.system = content;
        else if (current == "prefix")
            tpl.prefix = content;
        else if (current == "body")
            tpl.body = content;
        else if (current == "shot")
            tpl.shot = content;
        else if (current == "shot_separator")
            tpl.shot_separator = content;
        return {};
    };

    int line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        if (line.ends_with('\r')) line.remove_suffix(1);  // a template saved with CRLF
        ++line_no;
        if (std::string_view section = marker_name(line); !section.empty()) {
            if (std::ranges::find(kSections, section) == kSections.end())
                return fail("unknown section '" + std::string(section) + "'", line_no);
            if (!seen.insert(std::string(section)).second)
                return fail("section '" + std::string(section) + "' appears twice", line_no);
            if (auto ok = flush(); !ok) return std::unexpected(ok.error());
            current = *std::ranges::find(kSections, section);
            content.clear();
            content_line = line_no + 1;
            continue;
        }
        if (current.empty()) continue;
        content += line;
        content += '\n';  // a missing final newline is the same as the one flush() removes
    }
    if (auto ok = flush(); !ok) return std::unexpected(ok.error());
    if (!seen.contains("body")) return fail("template has no '=== body ===' section");
    return tpl;
}

std::vector<fs::path> template_dirs(const std::vector<std::string>& prompt_dirs) {
    std::vector<fs::path> dirs(prompt_dirs.begin(), prompt_dirs.end());
    dirs.push_back(data_dir() / "prompts" / "templates");
    return dirs;
}

Expected<Template> load_template(std::string_view name,
                                 const std::vector<std::string>& prompt_dirs) {
    auto load = [&](const fs::path& path) -> Expected<Template> {
        auto text = read_file(path);
        if (!text) return std::unexpected(text.error());
        auto tpl = parse_template(*text, std::string(name));
        if (!tpl) {
            Error e = tpl.error();
            e.path = path.string();
            return std::unexpected(e);
        }
        tpl->path = path.string();
        return tpl;
    };
    if (name.empty()) return fail("empty prompt name");
    if (name.find('/') != std::string_view::npos || name.ends_with(".txt")) {
        if (!fs::is_regular_file(name)) return fail("prompt file not found: " + std::string(name));
        return load(name);
    }
    std::string searched;
    for (const fs::path& dir : template_dirs(prompt_dirs)) {
        fs::path path = dir / (std::string(name) + ".txt");
        if (fs::is_regular_file(path)) return load(path);
        searched += (searched.empty() ? "" : ", ") + dir.string();
    }
    return fail("no prompt named '" + std::string(name) + "' (looked in " + searched + ")");
}

std::vector<std::string> list_templates(const std::vector<std::string>& prompt_dirs) {
    std::set<std::string> names;
    for (const fs::path& dir : template_dirs(prompt_dirs)) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (entry.is_regular_file() && entry.path().extension() == ".txt")
                names.insert(entry.path().stem().string());
        }
    }
    return {names.begin(), names.end()};
}

std::string fill_template(std::string_view text, const TemplateValues& values) {
    // Fills `part` (no segments inside); reports whether every placeholder was non-empty.
    auto fill_plain = [&](std::string_view part, bool& all_set) {
        std::string out;
        all_set = true;
        for (size_t i = 0; i < part.size(); ++i) {
            if (part[i] == '{') {
                size_t end = i + 1;
                while (end < part.size() && is_name_char(part[end])) ++end;
                if (end > i + 1 && end < part.size() && part[end] == '}') {
                    auto it = values.find(part.substr(i + 1, end - i - 1));
                    if (it == values.end() || it->second.empty()) all_set = false;
                    if (it != values.end()) out += it->second;
                    i = end;
                    continue;
                }
            }
            out += part[i];
        }
        return out;
    };
    std::string out;
    size_t pos = 0;
    bool ignored = true;
    while (pos < text.size()) {
        size_t open = text.find("[[", pos);
        size_t close = open == std::string_view::npos ? open : text.find("]]", open + 2);
        if (open == std::string_view::npos || close == std::string_view::npos) {
            out += fill_plain(text.substr(pos), ignored);
            break;
        }
        out += fill_plain(text.substr(pos, open - pos), ignored);
        bool all_set = true;
        std::string segment = fill_plain(text.substr(open + 2, close - open - 2), all_set);
        if (all_set) out += segment;
        pos = close + 2;
    }
    return out;
}

}  // namespace ciri
