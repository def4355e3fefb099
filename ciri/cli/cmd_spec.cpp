// `ciri spec learn`: a spec table (params.tsv) inferred from configuration files known to be valid,
// or (--from-defaults) from a system's documented default configuration.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "ciri/cli/app.hpp"
#include "ciri/rules/learn.hpp"
#include "ciri/rules/learn_defaults.hpp"
#include "parsers/detect.hpp"

namespace ciri {

namespace {

struct SpecArgs {
    std::vector<std::string> inputs;
    std::string system;
    std::string format;
    std::string out;
    std::string from_defaults;
    std::string sys_version;
    std::string document;
};

void write_table(const std::string& tsv, const std::string& out_path, CommandContext& ctx) {
    if (out_path.empty() || out_path == "-") {
        ctx.out << tsv;
    } else {
        std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
        if (!(out << tsv)) throw UserError("cannot write " + out_path);
    }
}

void learn_defaults(const SpecArgs& args, CommandContext& ctx) {
    if (!args.inputs.empty()) throw UserError("--from-defaults reads one document: give no other files");
    std::ifstream in(args.from_defaults, std::ios::binary);
    if (!in) throw UserError("cannot read " + args.from_defaults);
    std::stringstream text;
    text << in.rdbuf();
    DefaultsSource source;
    source.system = args.system;
    source.version = args.sys_version;
    source.format = args.format;
    source.document = args.document.empty() ? std::filesystem::path(args.from_defaults).filename().string() : args.document;
    auto spec = learn_from_defaults(text.str(), source);
    if (!spec) throw UserError(spec.error().format());
    std::string tsv = defaults_table_header(source) + write_spec_tsv(*spec);
    // Nothing half-written: a table that would not load is never written.
    if (auto check = parse_spec_tsv(tsv, "the learned table"); !check) throw UserError(check.error().format());
    write_table(tsv, args.out, ctx);
    ctx.err << "learned " << spec->params.size() << " parameters of " << args.system << " from " << source.document
            << (args.out.empty() || args.out == "-" ? "" : " -> " + args.out) << "\n";
}

void learn(const SpecArgs& args, CommandContext& ctx) {
    if (!find_system(args.system) && args.format.empty())
        throw UserError("unknown system '" + args.system + "': give --input-format too (see `ciri systems`)");
    if (!args.from_defaults.empty()) return learn_defaults(args, ctx);
    if (args.inputs.empty()) throw UserError("spec learn needs valid config files, or --from-defaults FILE");
    std::vector<std::filesystem::path> paths(args.inputs.begin(), args.inputs.end());
    auto files = load_valid_files(paths, args.system, args.format);
    if (!files) throw UserError(files.error().format());
    SpecSet spec = learn_spec(*files, args.system);
    write_table(write_spec_tsv(spec), args.out, ctx);
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
                  "valid config files or directories (shot-pool shots: only the text before 'Question:' is read)");
    l->add_option("--from-defaults", args->from_defaults,
                  "learn from the system's documented default configuration instead (postgresql.conf.sample, "
                  "redis.conf, a Hadoop *-default.xml, global_settings.py)");
    l->add_option("--sys-version", args->sys_version, "with --from-defaults: the version the document belongs to");
    l->add_option("--document", args->document,
                  "with --from-defaults: how the table's header names the document (default: its file name)");
    l->add_option("--system", args->system, "system the files configure")->required();
    l->add_option("--input-format", args->format, "format of the files (default: the system's usual one)");
    l->add_option("--out", args->out, "params.tsv to write (default: standard output)");
    l->footer("The table says what each parameter takes (type, list, default); it never turns the values\n"
              "seen into ranges or enums. With --from-defaults, ranges, enumerations, units and restart come\n"
              "from what the document's comments and descriptions state, and rows are marked `doc`.\n"
              "Use it with `ciri validate --spec params.tsv`, or ship it as datasets/<system>/params.tsv.");
    l->callback([args, &ctx] { learn(*args, ctx); });
}

}  // namespace ciri
