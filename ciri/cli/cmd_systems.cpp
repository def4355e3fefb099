// `ciri systems`: what ciri knows, and how it recognises each system.
#include <CLI/CLI.hpp>
#include <iomanip>

#include "ciri/cli/app.hpp"
#include "parsers/detect.hpp"
#include "parsers/registry.hpp"

namespace ciri {

namespace {

std::string join(const std::vector<std::string_view>& items, size_t most) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < most; ++i) out += (i ? ", " : "") + std::string(items[i]);
    if (items.size() > most) out += ", ...";
    return out;
}

void run(CommandContext& ctx) {
    auto& out = ctx.out;
    out << "Systems (detected from the file name, else from the keys it holds):\n";
    for (const auto& sys : systems()) {
        out << "  " << std::left << std::setw(12) << sys.name << std::setw(12) << sys.format;
        if (!sys.file_globs.empty()) out << "files: " << join(sys.file_globs, 4) << "; ";
        out << "keys: " << join(sys.key_markers, 5) << "\n";
    }
    out << "\nFormats (from --input-format, else the file name, else the system's usual format, else the content):\n";
    for (const auto& f : formats()) out << "  " << std::left << std::setw(12) << f.name << f.summary << "\n";
}

}  // namespace

void add_systems_command(CLI::App& app, CommandContext& ctx) {
    auto* cmd = app.add_subcommand("systems", "list the known systems and formats, and how each is detected");
    cmd->callback([&ctx] { run(ctx); });
}

}  // namespace ciri
