// `ciri trust` / `ciri untrust`: let a repository's .ciri.yaml run programs and send keys,
// after the user has read it; remembered by content, so an edit needs trusting again.
#include <CLI/CLI.hpp>
#include <memory>

#include "base/error.hpp"
#include "ciri/cli/app.hpp"
#include "ciri/trust.hpp"

namespace ciri {

namespace {

struct TrustArgs {
    std::string path;
    bool list = false;
};

// PATH, a directory holding a .ciri.yaml, or the nearest .ciri.yaml from here upwards.
std::filesystem::path config_at(const std::string& path) {
    std::error_code ec;
    if (!path.empty() && !std::filesystem::is_directory(path, ec)) {
        if (!std::filesystem::is_regular_file(path, ec)) throw UserError("no such file: " + path);
        return path;
    }
    auto found = find_ciri_config(path.empty() ? std::filesystem::current_path() : std::filesystem::path(path));
    if (!found) throw UserError("no .ciri.yaml in " + (path.empty() ? std::string("this directory or above") : path));
    return *found;
}

void list(CommandContext& ctx) {
    auto entries = read_trust_store();
    if (!entries) throw UserError(entries.error().format());
    for (const auto& e : *entries)
        ctx.out << e.path.string() << "  " << e.sha256.substr(0, 12) << "  " << trust_state(e) << "\n";
    if (entries->empty()) ctx.out << "no trusted files (" << trust_store_path().string() << ")\n";
}

void trust(const TrustArgs& args, CommandContext& ctx) {
    if (args.list) return list(ctx);
    auto path = config_at(args.path);
    // A file that does not parse is not trusted: its privileged settings could not be shown.
    auto config = load_ciri_config(path);
    if (!config) throw UserError(config.error().format());
    auto entry = trust_file(path);
    if (!entry) throw UserError(entry.error().format());
    ctx.out << "trusted " << entry->path.string() << " (sha256 " << entry->sha256.substr(0, 12) << ")\n";
    auto asks = privileged_settings(*config);
    for (const auto& a : asks) ctx.out << "  line " << a.line << ": '" << a.key << "' " << a.what << "\n";
    if (asks.empty()) ctx.out << "  it asks for nothing that needs trust\n";
    ctx.out << "an edit to the file needs `ciri trust` again\n";
}

void untrust(const TrustArgs& args, CommandContext& ctx) {
    auto path = args.path.empty() ? config_at("") : std::filesystem::path(args.path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) path = config_at(path.string());
    auto removed = untrust_file(path);
    if (!removed) throw UserError(removed.error().format());
    if (!*removed) throw UserError(path.string() + " was not trusted (see ciri trust --list)");
    ctx.out << "untrusted " << path.string() << "\n";
}

}  // namespace

void add_trust_command(CLI::App& app, CommandContext& ctx) {
    auto a = std::make_shared<TrustArgs>();
    auto* cmd = app.add_subcommand("trust", "let a repository's .ciri.yaml run programs and choose where keys go");
    cmd->add_option("path", a->path, ".ciri.yaml, or a directory holding one (default: the nearest one)");
    cmd->add_flag("--list", a->list, "list the trusted files and whether each changed since");
    cmd->footer(R"(
A repository's .ciri.yaml may choose models, votes, ignores and systems. Running a program
(command//), a base URL on a provider that sends a key, or api_key_env need your own
configuration ($XDG_CONFIG_HOME/ciri/config.yaml), a flag, or this command after you have
read the file. The file's SHA-256 is remembered in $XDG_DATA_HOME/ciri/trusted: an edit
needs trusting again.)");
    cmd->callback([a, &ctx] { trust(*a, ctx); });

    auto b = std::make_shared<TrustArgs>();
    auto* un = app.add_subcommand("untrust", "forget that a .ciri.yaml was trusted");
    un->add_option("path", b->path, ".ciri.yaml, or a directory holding one (default: the nearest one)");
    un->callback([b, &ctx] { untrust(*b, ctx); });
}

}  // namespace ciri
