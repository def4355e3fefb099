#include "parsers/load.hpp"

#include "parsers/detect.hpp"
#include "parsers/recover.hpp"

namespace ciri {

namespace {

Expected<ConfigFile> parse_text(const std::string& path, std::string text,
                                const LoadOptions& options) {
    auto with_path = [&](Error e) {
        e.path = path;
        return std::unexpected(std::move(e));
    };
    ConfigFile file;
    file.path = path;
    file.format = options.format;
    // The file's name says its format best; then the system's usual format; then its content.
    const SystemInfo* sys = find_system(options.system);
    if (file.format.empty() && sys && detect_format(path, "").empty()) file.format = std::string(sys->format);
    if (file.format.empty()) file.format = detect_format(path, text);
    if (file.format.empty() && options.recover) {
        // Nothing tells: the most permissive key/value reading loses nothing a line holds.
        file.format = "properties";
        file.notes.push_back("format not told by the file's name or content: read as key=value lines "
                             "(properties); name it with --input-format");
    }
    if (file.format.empty())
        return with_path({"cannot tell the format of this file: name it with --input-format (see `ciri systems`)"});
    const Format* format = find_format(file.format);
    if (!format) return with_path({"unknown format '" + file.format + "' (see `ciri systems`)"});
    Expected<std::vector<Parameter>> params;
    if (options.recover) {
        // A syntax error is a finding about the file; only a limit stops the load.
        auto read = parse_recovering(*format, text, options.limits);
        if (!read) return with_path(read.error());
        params = std::move(read->params);
        file.syntax_errors = std::move(read->errors);
    } else {
        params = format->parse(text, options.limits);
        if (!params) return with_path(params.error());
    }
    if (params->size() > options.limits.max_params)
        return with_path({"more than " + std::to_string(options.limits.max_params) + " parameters"});
    file.params = std::move(*params);
    file.text = std::move(text);
    file.system = options.system.empty() ? detect_system(path, file.params) : options.system;
    if (!options.version.empty()) {
        file.version = options.version;
    } else if (const SystemInfo* sys = find_system(file.system)) {
        file.version = detect_version(*sys, file.text);
    }
    return file;
}

}  // namespace

Expected<ConfigFile> load_config(const std::string& path, const LoadOptions& options) {
    auto text = read_text_file(path, options.max_bytes);
    if (!text) return std::unexpected(text.error());
    return parse_text(path, std::move(*text), options);
}

Expected<ConfigFile> load_config_bytes(const std::string& label, std::string bytes,
                                       const LoadOptions& options) {
    if (bytes.size() > options.max_bytes)
        return std::unexpected(Error{over_limit_message(options.max_bytes), 1, label});
    auto text = decode_text(std::move(bytes));
    if (!text) {
        Error e = text.error();
        e.path = label;
        return std::unexpected(std::move(e));
    }
    return parse_text(label, std::move(*text), options);
}

}  // namespace ciri
