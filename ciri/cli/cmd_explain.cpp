// `ciri explain FILE PARAM`: what ciri knows about one parameter of a file.
#include <CLI/CLI.hpp>
#include <memory>

#include "ciri/cli/app.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/load.hpp"
#include "prompts/code_snippets.hpp"

namespace ciri {

namespace {

struct ExplainArgs {
    std::string file, param;
    std::string code_dir, system, format, version;
    std::vector<std::string> specs;
};

// The rules' row of `key` as params.tsv writes it (header, then the row); empty when none.
std::string spec_row(const SpecSet& spec, const std::string& key) {
    const ParamSpec* row = spec.find(key);
    if (!row) return "";
    SpecSet one;
    one.system = spec.system;
    one.params.emplace(row->name, *row);
    return write_spec_tsv(one);
}

void explain(const ExplainArgs& args, CommandContext& ctx) {
    LoadOptions load{.format = args.format, .system = args.system, .version = args.version};
    auto file = load_config(args.file, load);
    if (!file) throw UserError(file.error().format());
    std::vector<const Parameter*> found;
    for (const auto& p : file->params)
        if (p.key == args.param) found.push_back(&p);
    if (found.empty()) {
        std::string known;
        for (size_t i = 0; i < file->params.size() && i < 8; ++i) known += (i ? ", " : "") + file->params[i].key;
        throw UserError(args.file + " sets no parameter '" + args.param + "'" +
                        (known.empty() ? "" : " (it sets " + known + (file->params.size() > 8 ? ", ..." : "") + ")"));
    }
    auto& out = ctx.out;
    for (const Parameter* p : found) {
        out << p->key << " = " << p->value << "\n  " << args.file << ":" << p->line << ", " << file->system
            << (file->version.empty() ? "" : " " + file->version) << ", " << file->format << "\n";
        if (!p->description.empty()) out << "  description: " << p->description << "\n";
    }
    std::vector<std::filesystem::path> specs(args.specs.begin(), args.specs.end());
    auto spec = load_spec_set(file->system, specs);
    if (!spec) throw UserError(spec.error().format());
    if (std::string row = spec_row(*spec, args.param); !row.empty()) {
        out << "\nrules (" << (spec->sources.empty() ? "spec table" : spec->sources.back()) << "):\n";
        for (size_t b = 0, e; b < row.size(); b = e + 1) {
            e = row.find('\n', b);
            if (e == std::string::npos) e = row.size();
            out << "  " << row.substr(b, e - b) << "\n";
        }
    } else {
        out << "\nrules: no spec row for " << args.param << " in " << file->system << "'s tables\n";
    }
    if (args.code_dir.empty()) {
        out << "\ncode: give --code-dir DIR to see where the source reads it\n";
        return;
    }
    std::vector<std::string> notes;
    auto index = load_code_index(args.code_dir, notes);
    if (!index) throw UserError(index.error().format());
    for (const auto& n : notes) ctx.err << "ciri: note: " << n << "\n";
    auto reads = code_reads_for(*index, args.param, file->format);
    if (reads.empty()) {
        out << "\ncode: " << index->root << " reads no key '" << args.param << "' that ciri could find\n";
        return;
    }
    out << "\ncode (" << index->root << "), " << reads.size() << (reads.size() == 1 ? " read" : " reads") << ":\n";
    for (const CodeRead* r : reads) {
        out << "  " << r->file << ":" << r->line << "  " << r->call;
        if (!r->constant.empty()) out << " through " << r->constant;
        out << "\n    conversion: " << (r->conversion.empty() ? "unknown" : r->conversion) << "\n";
        if (!r->fallback.empty()) out << "    default:    " << r->fallback << "\n";
        if (r->checks.empty()) out << "    checks:     none found\n";
        for (const auto& c : r->checks) out << "    check:      line " << c.line << ": " << c.text << "\n";
        for (const auto& g : r->guards) out << "    depends on: " << g << " (read only inside an `if` that reads it)\n";
    }
}

}  // namespace

void add_explain_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<ExplainArgs>();
    auto* cmd = app.add_subcommand("explain", "what ciri knows about one parameter: value, rules' row, code reading it");
    cmd->add_option("file", args->file, "the configuration file")->required();
    cmd->add_option("param", args->param, "the parameter, as the file writes it (see `ciri parse FILE`)")->required();
    cmd->add_option("--code-dir", args->code_dir, "the system's source tree, or its index from `ciri code index`");
    cmd->add_option("--system", args->system, "system the file configures (default: detected)");
    cmd->add_option("--input-format", args->format, "format of the file (default: detected)");
    cmd->add_option("--sys-version", args->version, "version of that system");
    cmd->add_option("--spec", args->specs, "spec table (params.tsv) or directory, before the shipped ones");
    cmd->callback([args, &ctx] { explain(*args, ctx); });
}

}  // namespace ciri
