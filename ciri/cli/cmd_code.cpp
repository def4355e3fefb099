// `ciri code index`: where a source tree reads its configuration keys, cached for --code-dir.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <memory>
#include <set>

#include "ciri/cli/app.hpp"
#include "prompts/code_index.hpp"

namespace ciri {

namespace {

struct CodeArgs {
    std::string dir;
    std::string out;
};

void index(const CodeArgs& args, CommandContext& ctx) {
    auto start = std::chrono::steady_clock::now();
    auto idx = index_source_tree(args.dir);
    if (!idx) throw UserError(idx.error().format());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::filesystem::path out = args.out.empty() ? default_code_cache(args.dir) : std::filesystem::path(args.out);
    if (out.empty()) throw UserError("no cache directory ($XDG_CACHE_HOME and $HOME are unset): give --out");
    if (auto written = write_code_index(*idx, out); !written) throw UserError(written.error().format());
    std::set<std::string> keys;
    size_t checked = 0;
    for (const auto& r : idx->reads) keys.insert(r.key), checked += !r.checks.empty();
    ctx.out << "indexed " << idx->root << ": " << idx->files.size() << " source files, " << idx->reads.size()
            << " reads of " << keys.size() << " keys (" << checked << " with checks) in " << std::fixed
            << std::setprecision(2) << seconds << " s";
    if (seconds > 0) ctx.out << " (" << std::setprecision(0) << idx->files.size() / seconds << " files/s)";
    ctx.out << "\nwrote " << out.string() << "\n";
}

}  // namespace

void add_code_command(CLI::App& app, CommandContext& ctx) {
    auto* cmd = app.add_subcommand("code", "where a source tree reads its configuration (code augmentation)");
    cmd->require_subcommand(1);
    auto args = std::make_shared<CodeArgs>();
    auto* i = cmd->add_subcommand("index", "index a source tree (C, C++, Java, Go, Python) into a cache");
    i->add_option("dir", args->dir, "the source tree")->required();
    i->add_option("--out", args->out, "cache file to write (default: $XDG_CACHE_HOME/ciri/code/<hash of DIR>.json)");
    i->footer("For each configuration key: where it is read (its literal or the constant holding it), the\n"
              "type conversion and the checks that follow. `ciri validate --code-dir DIR` (or `code:` in\n"
              ".ciri.yaml) finds the default cache of DIR, or takes the cache file itself; a cache older\n"
              "than the tree is said and the tree indexed again. `ciri explain` shows what was found.");
    i->callback([args, &ctx] { index(*args, ctx); });
}

}  // namespace ciri
