// `ciri parse`: prints the normalized model, so users can see what ciri reads.
#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "ciri/cli/app.hpp"
#include "parsers/load.hpp"

namespace ciri {

namespace {

struct ParseArgs {
    std::vector<std::string> files;
    LoadOptions load;
    bool json = false;
};

nlohmann::json to_json(const ConfigFile& file) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : file.params) {
        nlohmann::json j = {{"key", p.key}, {"value", p.value}, {"line", p.line}};
        if (!p.description.empty()) j["description"] = p.description;
        if (!p.section.empty()) j["section"] = p.section;
        params.push_back(std::move(j));
    }
    return {{"path", file.path},       {"format", file.format}, {"system", file.system},
            {"version", file.version}, {"params", params}};
}

void print_human(std::ostream& out, const ConfigFile& file) {
    out << file.path << " (format " << file.format << ", system "
        << (file.system.empty() ? "unknown" : file.system);
    if (!file.version.empty()) out << " " << file.version;
    out << ", " << file.params.size() << " parameters)\n";
    for (const auto& p : file.params) out << "  " << p.line << ": " << p.key << " = " << p.value << "\n";
}

void run(const ParseArgs& args, CommandContext& ctx) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& path : args.files) {
        Expected<ConfigFile> file;
        if (path == "-") {
            std::string bytes((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
            file = load_config_bytes("<stdin>", std::move(bytes), args.load);
        } else {
            file = load_config(path, args.load);
        }
        // A bad file is reported and skipped; the others are still parsed.
        if (!file) {
            ctx.err << file.error().format() << "\n";
            ctx.exit_code = kExitUsage;
            continue;
        }
        if (args.json) all.push_back(to_json(*file));
        else print_human(ctx.out, *file);
    }
    if (args.json) ctx.out << all.dump(2) << "\n";  // always an array, so scripts need one shape
}

}  // namespace

void add_parse_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<ParseArgs>();
    auto* cmd = app.add_subcommand("parse", "print the parameters ciri reads from config files");
    cmd->add_option("files", args->files, "config files to parse; - reads standard input")->required();
    cmd->add_option("--format", args->load.format, "format of the files (default: detected; see `ciri systems`)");
    cmd->add_option("--system", args->load.system, "system the files configure (default: detected)");
    cmd->add_option("--sys-version", args->load.version, "version of that system");
    cmd->add_option("--max-size", args->load.max_bytes, "largest file to read, in bytes")
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "print JSON: an array with one object per file");
    cmd->footer("Exit codes: 0 all files parsed, 2 a file could not be read or parsed.");
    cmd->callback([args, &ctx] { run(*args, ctx); });
}

}  // namespace ciri
