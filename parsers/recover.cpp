#include "parsers/recover.hpp"

#include <algorithm>
#include <optional>

#include "parsers/text.hpp"

namespace ciri {

namespace {

constexpr std::string_view kLineFormats[] = {"properties", "conf", "directives", "env",
                                             "ini",        "slurm", "sbatch",    "args"};

// How many shorter prefixes a structured format tries when looking for what it read before
// its first error (a cut inside a multi-line value needs a few lines more).
constexpr int kPrefixTries = 16;

// The line an error blames: its own, or the last non-blank line when the parser gave none
// (input that ended too early ends there).
int placed_line(int line, const std::vector<Line>& lines) {
    if (line >= 1 && line <= static_cast<int>(lines.size())) return line;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
        if (!is_blank(it->text)) return it->number;
    return 1;
}

bool is_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == '[' || c == ']' || c == '$' || c == '/' || c == '@';
}

// The leading word of `s` up to a separator, or "" when it is not a plausible key.
std::string leading_key(std::string_view s) {
    if (!s.empty() && (s[0] == '"' || s[0] == '\'')) {
        size_t close = s.find(s[0], 1);
        if (close == std::string_view::npos) return "";
        s = s.substr(1, close - 1);
    } else {
        s = s.substr(0, std::min(s.size(), s.find_first_of("=: \t")));
    }
    if (s.empty() || !std::ranges::all_of(s, is_key_char)) return "";
    return std::string(s);
}

size_t indent_of(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
}

// A YAML key with its parents, from the indentation of the lines above it.
std::string yaml_key(const std::vector<Line>& lines, int line) {
    std::string_view t = lines[line - 1].text;
    size_t indent = indent_of(t);
    std::string_view s = trim(t);
    while (s.starts_with("- ")) s = trim(s.substr(2)), indent += 2;
    std::string key = leading_key(s);
    if (key.empty()) return "";
    for (int i = line - 1; i >= 1 && indent > 0; --i) {
        std::string_view above = lines[i - 1].text;
        std::string_view a = trim(above);
        if (a.empty() || a.starts_with('#') || indent_of(above) >= indent) continue;
        indent = indent_of(above);
        if (a.starts_with("- ")) return key;  // inside a list item: the index is not known here
        std::string parent = leading_key(a);
        if (parent.empty() || a.find(':') == std::string_view::npos) return key;
        key = parent + "." + key;
    }
    return key;
}

// Closes what a cut-off JSON prefix left open, so what it holds can be read; "" when the
// cut fell inside a string.
std::string close_json(std::string prefix) {
    std::string stack;
    bool in_string = false, escaped = false;
    for (char c : prefix) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            stack.push_back(c == '{' ? '}' : ']');
        } else if ((c == '}' || c == ']') && !stack.empty()) {
            stack.pop_back();
        }
    }
    if (in_string) return "";
    while (!prefix.empty() && std::string_view(" \t\n,").find(prefix.back()) != std::string_view::npos)
        prefix.pop_back();
    prefix.append(stack.rbegin(), stack.rend());
    return prefix;
}

// Closes the elements a cut-off XML prefix left open; "" when the cut fell inside markup.
std::string close_xml(std::string prefix) {
    size_t last_gt = prefix.rfind('>');
    if (last_gt == std::string::npos) return "";
    prefix.resize(last_gt + 1);
    std::vector<std::string> open;
    for (size_t i = prefix.find('<'); i != std::string::npos; i = prefix.find('<', i + 1)) {
        if (prefix.compare(i, 4, "<!--") == 0) {
            i = prefix.find("-->", i);
            if (i == std::string::npos) return "";
            continue;
        }
        if (prefix.compare(i, 9, "<![CDATA[") == 0) {
            i = prefix.find("]]>", i);
            if (i == std::string::npos) return "";
            continue;
        }
        size_t end = prefix.find('>', i);
        if (end == std::string::npos) return "";
        std::string_view tag(prefix.data() + i + 1, end - i - 1);
        if (tag.empty() || tag[0] == '?' || tag[0] == '!' || tag.back() == '/') continue;
        if (tag[0] == '/') {
            if (!open.empty()) open.pop_back();
            continue;
        }
        open.emplace_back(tag.substr(0, tag.find_first_of(" \t\n/")));
    }
    for (auto it = open.rbegin(); it != open.rend(); ++it) prefix += "</" + *it + ">";
    return prefix;
}

// The parameters `format` reads on the lines before `line`: the longest prefix that parses
// (JSON and XML prefixes get their open brackets and elements closed).
std::vector<Parameter> params_before(const Format& format, const std::vector<Line>& lines,
                                     std::string_view text, int line, const ParseLimits& limits) {
    for (int cut = line - 1, tries = 0; cut >= 0 && tries < kPrefixTries; --cut, ++tries) {
        size_t end = cut == 0 ? 0 : static_cast<size_t>(lines[cut - 1].text.data() - text.data()) + lines[cut - 1].text.size();
        std::string prefix(text.substr(0, end));
        if (format.name == "json") prefix = close_json(std::move(prefix));
        else if (format.name == "xml" || format.name == "hadoop-xml") prefix = close_xml(std::move(prefix));
        if (prefix.empty() && cut > 0) continue;
        auto r = format.parse(prefix, limits);
        if (!r) continue;
        std::erase_if(*r, [&](const Parameter& p) { return p.line >= line; });
        return std::move(*r);
    }
    return {};
}

// Lines other than the blamed one `line` where the slip may be: in formats that pair quotes
// across lines (env, args, sbatch) the first line above with an odd number of quotes, whose
// quote the parser paired with a later one; and the continuation lines of a line ending in a
// backslash, which the parser blames on its first line.
std::vector<int> other_suspects(std::string_view format, int line, const std::vector<Line>& lines,
                                const std::vector<bool>& blanked) {
    std::vector<int> out;
    if (format == "env" || format == "args" || format == "sbatch")
        for (int n = 1; n < line; ++n) {
            if (blanked[n]) continue;
            std::string_view t = lines[n - 1].text;
            int quotes = 0;
            for (size_t i = 0; i < t.size(); ++i) {
                if (t[i] == '\\') ++i;
                else if (t[i] == '"' || t[i] == '\'') ++quotes;
            }
            if (quotes % 2 == 1) {
                out.push_back(n);
                break;
            }
        }
    for (int n = line; n < static_cast<int>(lines.size()) && lines[n - 1].text.ends_with('\\'); ++n)
        if (!blanked[n + 1]) out.push_back(n + 1);
    return out;
}

SyntaxError syntax_error_at(const Format& format, std::string_view text, const std::vector<Line>& lines,
                            int line, std::string message) {
    std::string shown(trim(lines.empty() ? std::string_view() : lines[line - 1].text));
    if (shown.size() > 200) shown = shown.substr(0, 200) + "...";
    return {line, std::move(message), key_named_by(format.name, text, line), std::move(shown)};
}

}  // namespace

bool is_line_format(std::string_view format) {
    return std::ranges::find(kLineFormats, format) != std::end(kLineFormats);
}

bool is_limit_error(const Error& e) {
    const std::string& m = e.message;
    return m.starts_with("more than ") || m.find("nesting deeper") != std::string::npos ||
           m.find("nested too deeply") != std::string::npos || m.starts_with("aliases expand") ||
           m.find("not supported") != std::string::npos;
}

std::string key_named_by(std::string_view format, std::string_view text, int line) {
    std::vector<Line> lines = split_lines(text);
    if (line < 1 || line > static_cast<int>(lines.size())) return "";
    std::string_view s = trim(lines[line - 1].text);
    if (format == "yaml") return yaml_key(lines, line);
    if (format == "xml" || format == "hadoop-xml") {
        size_t open = s.find("<name>"), close = s.find("</name>");
        if (open == std::string_view::npos || close == std::string_view::npos || close < open) return "";
        return leading_key(trim(s.substr(open + 6, close - open - 6)));
    }
    if (format == "json") return s.starts_with('"') ? leading_key(s) : "";
    if (format == "sbatch") {
        if (!s.starts_with("#SBATCH")) return "";
        s = trim(s.substr(7));
    }
    if (format == "env" && s.starts_with("export ")) s = trim(s.substr(7));
    if (format == "args" || format == "sbatch") {
        if (!s.starts_with('-')) return "";
        while (s.starts_with('-')) s.remove_prefix(1);
    }
    if (s.empty() || s[0] == '#' || s[0] == '[' || s[0] == ';') return "";
    std::string key = leading_key(s);
    if (key.empty() || format != "ini") return key;
    // INI keys carry their section.
    for (int i = line - 1; i >= 1; --i) {
        std::string_view above = trim(lines[i - 1].text);
        if (above.starts_with('[') && above.find(']') != std::string_view::npos)
            return std::string(trim(above.substr(1, above.find(']') - 1))) + "." + key;
    }
    return key;
}

Expected<RecoveredParse> parse_recovering(const Format& format, std::string_view text,
                                          const ParseLimits& limits) {
    RecoveredParse out;
    auto first = format.parse(text, limits);
    if (first) {
        out.params = std::move(*first);
        return out;
    }
    if (is_limit_error(first.error())) return std::unexpected(first.error());
    std::vector<Line> lines = split_lines(text);

    if (!is_line_format(format.name)) {
        int line = placed_line(first.error().line, lines);
        out.errors.push_back(syntax_error_at(format, text, lines, line, first.error().message));
        out.params = params_before(format, lines, text, line, limits);
        return out;
    }

    // Line formats: blank the failing line (spaces keep every offset and line number) and
    // read again, until the file reads or a failure cannot be set aside.
    std::string work(text);
    std::vector<Line> work_lines = split_lines(work);
    std::vector<bool> blanked(lines.size() + 1, false);
    Error e = first.error();
    auto blank = [&](std::string& in, int line) {
        const Line& l = work_lines[line - 1];
        std::fill_n(in.begin() + (l.text.data() - work.data()), l.text.size(), ' ');
    };
    for (;;) {
        int line = placed_line(e.line, lines);
        bool placed = e.line >= 1 && e.line <= static_cast<int>(lines.size()) && !blanked[e.line];
        if (!placed || out.errors.size() + 1 >= kMaxSyntaxErrors) {
            std::string message = e.message;
            if (placed) message += "; too many syntax errors, the rest of the file was not read";
            out.errors.push_back(syntax_error_at(format, text, lines, line, std::move(message)));
            out.params = params_before(format, work_lines, work, line, limits);
            break;
        }
        // A suspect is the slip when setting it aside gets the parser past the blamed line.
        std::optional<Expected<std::vector<Parameter>>> again;
        for (int suspect : other_suspects(format.name, line, lines, blanked)) {
            std::string trial = work;
            blank(trial, suspect);
            auto r = format.parse(trial, limits);
            if (r || r.error().line > line || is_limit_error(r.error())) {
                line = suspect;
                again = std::move(r);
                break;
            }
        }
        out.errors.push_back(syntax_error_at(format, text, lines, line, e.message));
        blanked[line] = true;
        blank(work, line);
        if (!again) again = format.parse(work, limits);
        if (*again) {
            out.params = std::move(**again);
            break;
        }
        Error next = again->error();
        if (is_limit_error(next)) {
            next.line = placed_line(next.line, lines);
            return std::unexpected(std::move(next));
        }
        e = std::move(next);
    }
    std::ranges::stable_sort(out.errors, {}, &SyntaxError::line);
    return out;
}

}  // namespace ciri
