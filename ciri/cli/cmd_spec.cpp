// `ciri spec learn`: a spec table (params.tsv) inferred from configuration files known to be valid.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <memory>

#include "ciri/cli/app.hpp"
#include "ciri/rules/learn.hpp"
#include "parsers/detect.hpp"

namespace ciri {

namespace {

struct SpecArgs {
    std::vector<std::string> inputs;
    std::string system;
    std::string format;
    std::string out;
};

void learn(const SpecArgs& args, CommandContext& ctx) {
    if (!find_system(args.system) && args.format.empty())
        throw UserError("unknown system '" + args.system + "': give --input-format too (see `ciri systems`)");
    std::vector<std::filesystem::path> paths(args.inputs.begin(), args.inputs.end());
    auto files = load_valid_files(paths, args.system, args.format);
    if (!files) throw UserError(files.error().format());
    SpecSet spec = learn_spec(*files, args.system);
    std::string tsv = write_spec_tsv(spec);
    if (args.out.empty() || args.out == "-") {
        ctx.out << tsv;
    } else {
        std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
        if (!(out << tsv)) throw UserError("cannot write " + args.out);
    }
    ctx.err << "learned " << spec.params.size() << " parameters of " << args.system << " from " << files->size()
            << " files" << (args.out.empty() || args.out == "-" ? "" : " -> " + args.out) << "\n";
}

}  // namespace

void add_spec_command(CLI::App& app, CommandContext& ctx) {
    auto* cmd = app.add_subcommand("spec", "spec tables for the rules voter (params.tsv)");
    cmd->require_subcommand(1);
    auto args = std::make_shared<SpecArgs>();
    auto* l = cmd->add_subcommand("learn", "infer a params.tsv from valid config files");
    l->add_option("inputs", args->inputs,
                  "valid config files or directories (shot-pool shots: only the text before 'Question:' is read)")
        ->required();
    l->add_option("--system", args->system, "system the files configure")->required();
    l->add_option("--input-format", args->format, "format of the files (default: the system's usual one)");
    l->add_option("--out", args->out, "params.tsv to write (default: standard output)");
    l->footer("The table says what each parameter takes (type, list, default); it never turns the values\n"
              "seen into ranges or enums. Use it with `ciri validate --spec params.tsv`.");
    l->callback([args, &ctx] { learn(*args, ctx); });
}

}  // namespace ciri
