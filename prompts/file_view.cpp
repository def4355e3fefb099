#include "prompts/file_view.hpp"

#include <algorithm>

#include "parsers/detect.hpp"
#include "parsers/load.hpp"

namespace ciri {

std::string_view file_view_name(FileView view) {
    return view == FileView::compact ? "compact" : "raw";
}

std::optional<FileView> parse_file_view(std::string_view name) {
    if (name == "raw") return FileView::raw;
    if (name == "compact") return FileView::compact;
    return std::nullopt;
}

const std::vector<std::string>& file_view_names() {
    static const std::vector<std::string> kNames = {"raw", "compact"};
    return kNames;
}

std::string compact_view(const ConfigFile& file, size_t begin, size_t end) {
    std::string out;
    int line = 0;
    end = std::min(end, file.params.size());
    // A parameter without a line shares the one before it, as the prompt builder's chunks do.
    for (size_t i = 0; i < begin && i < end; ++i) line = std::max(line, file.params[i].line);
    for (size_t i = begin; i < end; ++i) {
        const Parameter& p = file.params[i];
        if (p.line > 0) line = p.line;
        out += std::to_string(std::max(line, 1)) + ": " + p.key + " = ";
        for (char c : p.value) {
            if (c == '\n') out += "\\n";
            else out += c;
        }
        out += '\n';
    }
    return out;
}

std::string compact_view(const ConfigFile& file) {
    return compact_view(file, 0, file.params.size());
}

std::optional<std::string> compact_shot_config(std::string_view system, const std::string& config) {
    const SystemInfo* info = find_system(system);
    if (!info) return std::nullopt;
    LoadOptions options;
    options.format = info->format;
    options.system = std::string(system);
    auto parsed = load_config_bytes("shot", config, options);
    if (!parsed || parsed->params.empty()) return std::nullopt;
    return compact_view(*parsed);
}

bool keys_written_as_is(const ConfigFile& file, size_t begin, size_t end) {
    // Where each line starts, found once: a file may have many parameters.
    std::vector<size_t> starts{0};
    for (size_t i = 0; i < file.text.size(); ++i)
        if (file.text[i] == '\n') starts.push_back(i + 1);
    starts.push_back(file.text.size() + 1);
    for (size_t i = begin; i < end && i < file.params.size(); ++i) {
        const Parameter& p = file.params[i];
        if (p.line < 1 || static_cast<size_t>(p.line) >= starts.size()) return false;
        size_t from = starts[p.line - 1];
        size_t to = std::min(starts[p.line] - 1, file.text.size());
        if (std::string_view(file.text).substr(from, to - from).find(p.key) == std::string_view::npos)
            return false;
    }
    return true;
}

std::string_view compact_view_note() {
    return "The configuration files below are shown one parameter per line, as `LINE: key = value`, "
           "where LINE is the parameter's line in the file and the value is as written; comments, "
           "descriptions and blank lines are left out.";
}

}  // namespace ciri
