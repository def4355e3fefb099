// `ciri inject`: misconfigured variants of a valid file (the paper's Table III rules), its valid
// twin and a manifest.jsonl, i.e. a labeled dataset `ciri eval --dataset` reads.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "ciri/cli/app.hpp"
#include "ciri/rules/check.hpp"
#include "ciri/rules/inject.hpp"
#include "parsers/load.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

struct InjectArgs {
    std::string file;
    LoadOptions load;
    std::vector<std::string> specs;
    std::string out;
    int per_rule = 1;
    std::uint64_t seed = 0;
};

void write_file(const fs::path& path, const std::string& text) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!(out << text)) throw UserError("cannot write " + path.string());
}

void run(const InjectArgs& args, CommandContext& ctx) {
    auto file = load_config(args.file, args.load);
    if (!file) throw UserError(file.error().format());
    if (file->system.empty()) throw UserError(args.file + ": system not detected; give --system");
    std::vector<fs::path> spec_paths(args.specs.begin(), args.specs.end());
    auto spec = load_spec_set(file->system, spec_paths);
    if (!spec) throw UserError(spec.error().format());
    if (auto own = check_file(*file, *spec); own.has_error())
        ctx.err << "ciri: warning: the rules find " << own.findings.size() << " problem(s) in " << args.file
                << " itself (first: " << own.findings[0].param << ": " << own.findings[0].reason
                << "); its valid twin is labeled valid anyway\n";
    auto variants = inject(*file, *spec, {args.per_rule, args.seed});

    fs::path out(args.out);
    std::string stem = fs::path(args.file).filename().string();
    std::string base = fs::path(args.file).stem().string();
    std::ofstream manifest;
    write_file(out / "manifest.jsonl", "");
    manifest.open(out / "manifest.jsonl", std::ios::binary | std::ios::trunc);
    std::map<std::string, int> per_category;
    for (const auto& v : variants) {
        std::string id = base + "-" + v.id;
        // Each variant keeps the original file name, so format and system detection still work.
        fs::path rel = fs::path(id) / stem;
        write_file(out / rel, v.text);
        nlohmann::json line = {{"id", id},
                               {"path", rel.generic_string()},
                               {"system", file->system},
                               {"version", file->version},
                               {"label", v.category.empty() ? "valid" : "misconfigured"},
                               {"params", v.params},
                               {"category", v.category},
                               {"subcategory", v.subcategory}};
        manifest << line.dump() << "\n";
        ++per_category[v.category.empty() ? "valid" : v.category + "/" + v.subcategory];
    }
    if (!manifest) throw UserError("cannot write " + (out / "manifest.jsonl").string());
    ctx.out << variants.size() << " files (" << variants.size() - 1 << " misconfigured) -> " << args.out << "\n";
    for (const auto& [name, n] : per_category) ctx.out << "  " << name << ": " << n << "\n";
}

}  // namespace

void add_inject_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<InjectArgs>();
    auto* cmd = app.add_subcommand("inject", "write misconfigured variants of a valid config file, with a manifest");
    cmd->add_option("file", args->file, "a valid config file")->required();
    cmd->add_option("--system", args->load.system, "system the file configures (default: detected)");
    cmd->add_option("--input-format", args->load.format, "format of the file (default: detected)");
    cmd->add_option("--sys-version", args->load.version, "version of that system (enables version rules)");
    cmd->add_option("--spec", args->specs, "params.tsv, or a directory of <system>.tsv, used before the shipped table");
    cmd->add_option("--out", args->out, "output directory: <id>/<file name> per variant and manifest.jsonl")
        ->required();
    cmd->add_option("--per-rule", args->per_rule, "variants per generation rule (default 1)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", args->seed, "picks parameters and values; same seed, same output (default 0)");
    cmd->footer("Rules (Table III): syntax (data type, path, URL, IP address, port, permission), range (basic\n"
                "numeric, bool, enum, IP address, port, permission), dependency (control, value relationship,\n"
                "from the spec's constraints), version (parameter change, from removed_in/added_in rows).");
    cmd->callback([args, &ctx] { run(*args, ctx); });
}

}  // namespace ciri
