// `ciri spec learn`: a spec table (params.tsv) inferred from configuration files known to be valid,
// or (--from-defaults) from a system's documented default configuration.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/atomic_file.hpp"
#include "ciri/cli/app.hpp"
#include "ciri/rules/learn.hpp"
#include "ciri/rules/learn_defaults.hpp"
#include "ciri/rules/learn_flag_help.hpp"
#include "ciri/rules/learn_pg_settings.hpp"
#include "ciri/rules/learn_refusals.hpp"
#include "ciri/rules/spec_versions.hpp"
#include "parsers/detect.hpp"

namespace ciri {

namespace {

// Said in the header of a table whose document lost names: its missing rows prove no removal.
constexpr std::string_view kNamelessNote = "properties without a name were passed over";

struct SpecArgs {
    std::vector<std::string> inputs;
    std::string system;
    std::string format;
    std::string out;
    std::string from_defaults;
    std::string from_pg_settings;
    std::string from_flag_help;
    std::string flag_types;
    std::string from_refusals;
    std::string source_facts;
    std::string sys_version;
    std::string document;
    bool complete = false;
};

void write_table(const std::string& tsv, const std::string& out_path, CommandContext& ctx) {
    if (out_path.empty() || out_path == "-") {
        ctx.out << tsv;
    } else if (auto written = write_file_atomic(out_path, tsv); !written) {
        throw UserError(written.error().format());
    }
}

// A whole file named on the command line, or a usage error naming it.
std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// What the table's header says of the document at `path` (--document names it otherwise).
DefaultsSource source_for(const SpecArgs& args, const std::string& path) {
    DefaultsSource source;
    source.system = args.system;
    source.version = args.sys_version;
    source.format = args.format;
    source.complete = args.complete;
    source.document = args.document.empty() ? std::filesystem::path(path).filename().string() : args.document;
    return source;
}

// The header comment lines of a table (its version and source), to carry into a merged one.
std::string header_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string out;
    for (std::string l; std::getline(in, l) && l.starts_with("#");)
        if (!l.starts_with("# spec table") && !l.starts_with("# since/until") && !l.starts_with("# Facts only"))
            out += l + "\n";
    return out;
}

// Nothing half-written: a table that would not load is never written, and one that does is
// written whole; then says what was learned.
// With --source-facts, the hand-written rows of facts read in the program's source replace the
// learned rows of their names, and the header says where they come from.
void write_learned(const SpecSet& learned, const std::string& header, const DefaultsSource& source, const SpecArgs& args,
                   CommandContext& ctx) {
    SpecSet spec = learned;
    std::string more;
    if (!args.source_facts.empty()) {
        auto facts = read_spec_tsv(args.source_facts);
        if (!facts) throw UserError(facts.error().format());
        facts->merge(learned);  // its rows win
        facts->system = learned.system;
        spec = std::move(*facts);
        more = header_of(args.source_facts);
    }
    std::string tsv = header + more + write_spec_tsv(spec);
    if (auto check = parse_spec_tsv(tsv, "the learned table"); !check) throw UserError(check.error().format());
    write_table(tsv, args.out, ctx);
    ctx.err << "learned " << spec.params.size() << " parameters of " << args.system << " from " << source.document
            << (args.out.empty() || args.out == "-" ? "" : " -> " + args.out) << "\n";
}

void learn_defaults(const SpecArgs& args, CommandContext& ctx) {
    if (!args.inputs.empty()) throw UserError("--from-defaults reads one document: give no other files");
    DefaultsSource source = source_for(args, args.from_defaults);
    std::vector<int> nameless;
    auto spec = learn_from_defaults(read_whole(args.from_defaults), source, &nameless);
    if (!spec) throw UserError(spec.error().format());
    std::string header = defaults_table_header(source);
    if (!nameless.empty()) {
        std::string lines;
        for (int n : nameless) lines += (lines.empty() ? "" : ", ") + std::to_string(n);
        header += "# " + std::string(kNamelessNote) + " (lines " + lines + ")\n";
        ctx.err << "note: " << nameless.size() << " properties without a name passed over (lines " << lines << ")\n";
    }
    write_learned(*spec, header, source, args, ctx);
}

// The table of --from-defaults, which completes one learned from the program (same system and version).
SpecSet learn_completing_document(const SpecArgs& args, const DefaultsSource& source) {
    DefaultsSource doc = source;
    doc.document = std::filesystem::path(args.from_defaults).filename().string();
    auto documented = learn_from_defaults(read_whole(args.from_defaults), doc);
    if (!documented) throw UserError(documented.error().format());
    return std::move(*documented);
}

// The header line saying what the --from-defaults document added.
std::string completed_by(const SpecArgs& args, std::string_view what) {
    return "# Completed by --from-defaults " + std::filesystem::path(args.from_defaults).filename().string() + ": " +
           std::string(what) + ".\n";
}

// A table learned from the program itself (its settings view, its --help), completed by its
// documented defaults when --from-defaults is given too.
void learn_program(const SpecArgs& args, CommandContext& ctx) {
    if (!args.inputs.empty()) throw UserError("--from-pg-settings and --from-flag-help read one export: give no other files");
    if (!args.from_pg_settings.empty() && !args.from_flag_help.empty())
        throw UserError("give one of --from-pg-settings and --from-flag-help");
    bool pg = !args.from_pg_settings.empty();
    const std::string& path = pg ? args.from_pg_settings : args.from_flag_help;
    DefaultsSource source = source_for(args, path);
    if (!args.flag_types.empty() && pg) throw UserError("--flag-types goes with --from-flag-help");
    std::string types = args.flag_types.empty() ? std::string{} : read_whole(args.flag_types);
    auto spec = pg ? learn_from_pg_settings(read_whole(path), source)
                   : learn_from_flag_help(read_whole(path), source, types);
    if (!spec) throw UserError(spec.error().format());
    std::string header = defaults_table_header(source, pg ? "--from-pg-settings" : "--from-flag-help");
    if (!args.from_defaults.empty()) {
        *spec = merge_program_and_document(std::move(*spec), learn_completing_document(args, source));
        header += completed_by(args, "the dependencies it states between the program's parameters");
    }
    write_learned(*spec, header, source, args, ctx);
}

// A table learned from the program's refusals of probe values, laid over its documented
// defaults when --from-defaults is given (their defaults, units and dependencies stay).
void learn_refusals(const SpecArgs& args, CommandContext& ctx) {
    if (!args.inputs.empty()) throw UserError("--from-refusals reads one probe file: give no other files");
    DefaultsSource source = source_for(args, args.from_refusals);
    auto spec = learn_from_refusals(read_whole(args.from_refusals), source);
    if (!spec) throw UserError(spec.error().format());
    std::string header = defaults_table_header(source, "--from-refusals");
    if (!args.from_defaults.empty()) {
        *spec = overlay_refusals(learn_completing_document(args, source), *spec);
        header += completed_by(args, "defaults, units, dependencies, and the rows of settings the refusals leave untyped");
    }
    write_learned(*spec, header, source, args, ctx);
}

void learn(const SpecArgs& args, CommandContext& ctx) {
    if (!find_system(args.system) && args.format.empty())
        throw UserError("unknown system '" + args.system + "': give --input-format too (see `ciri systems`)");
    if (!args.from_refusals.empty()) {
        if (!args.from_pg_settings.empty() || !args.from_flag_help.empty())
            throw UserError("give one of --from-refusals, --from-pg-settings and --from-flag-help");
        return learn_refusals(args, ctx);
    }
    if (!args.from_pg_settings.empty() || !args.from_flag_help.empty()) return learn_program(args, ctx);
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

struct DiffArgs {
    std::string older, newer;
    std::string merge_out;
    std::string new_version;
};

void diff(const DiffArgs& args, CommandContext& ctx) {
    auto older = read_spec_tsv(args.older);
    if (!older) throw UserError(older.error().format());
    auto newer = read_spec_tsv(args.newer);
    if (!newer) throw UserError(newer.error().format());
    SpecDiff d = diff_specs(*older, *newer);
    for (const auto& n : d.added) ctx.out << "added\t" << n << "\n";
    for (const auto& [o, n] : d.renamed) ctx.out << "renamed?\t" << o << " -> " << n << "\t(a guess: same default and type, similar name)\n";
    for (const auto& n : d.removed) ctx.out << "removed\t" << n << "\n";
    ctx.err << d.added.size() << " added, " << d.renamed.size() << " renamed (guessed), " << d.removed.size()
            << " removed\n";
    if (args.merge_out.empty()) return;
    if (args.new_version.empty()) throw UserError("--merge needs --new-version: the version of NEW.tsv");
    SpecSet merged = merge_versions(*older, *newer, args.new_version);
    // A parameter the newer document seems to lack may be one whose name it lost.
    if (header_of(args.newer).find(kNamelessNote) != std::string::npos) {
        ctx.err << "note: " << args.newer << " lost the names of some properties: no removal recorded from it\n";
        for (const auto& name : d.removed) merged.params.at(name).until = older->params.at(name).until;
        for (const auto& [o, n] : d.renamed) merged.params.at(o).until = older->params.at(o).until;
    }
    merged.system = newer->system;
    std::string tsv = header_of(args.older) + header_of(args.newer) +
                      "# Facts only (names, defaults, types, units, ranges, enumerations, restart); no document text.\n"
                      "# since/until: from the differences of the documents above (`ciri spec diff --merge`).\n" +
                      write_spec_tsv(merged);
    if (auto check = parse_spec_tsv(tsv, "the merged table"); !check) throw UserError(check.error().format());
    write_table(tsv, args.merge_out, ctx);
}

}  // namespace

void add_spec_command(CLI::App& app, CommandContext& ctx) {
    auto* cmd = app.add_subcommand("spec", "spec tables for the rules voter (params.tsv): learn, diff");
    cmd->require_subcommand(1);
    auto args = std::make_shared<SpecArgs>();
    auto* l = cmd->add_subcommand("learn", "infer a params.tsv from valid config files");
    l->add_option("inputs", args->inputs,
                  "valid config files or directories (shot-pool shots: only the text before 'Question:' is read)");
    l->add_option("--from-defaults", args->from_defaults,
                  "learn from the system's documented default configuration instead (postgresql.conf.sample, "
                  "redis.conf, a Hadoop *-default.xml, global_settings.py)");
    l->add_option("--from-pg-settings", args->from_pg_settings,
                  "learn from PostgreSQL itself: its pg_settings view exported with a header row (name, context, "
                  "vartype, unit, min_val, max_val, enumvals, boot_val; bench/learn_from_programs.sh makes it): the "
                  "ranges, units and enumerations the server enforces. With --from-defaults too, the document adds "
                  "the dependencies it states");
    l->add_option("--from-flag-help", args->from_flag_help,
                  "learn from a program's `--help` listing of `--flag 'default'` lines (etcd's config-file keys are "
                  "its flag names): the flags, their defaults, and their types from --flag-types");
    l->add_option("--flag-types", args->flag_types,
                  "with --from-flag-help: lines `flag<TAB>type`, the Go type the program names when it refuses a "
                  "value (bench/learn_from_programs.sh probes them); without it only true/false defaults are typed");
    l->add_option("--from-refusals", args->from_refusals,
                  "learn from what a program says when it refuses probe values: lines `name<TAB>value<TAB>message` "
                  "(redis-server's messages; bench/learn_from_programs.sh probes every setting): kinds, ranges, "
                  "enumerations. With --from-defaults too, laid over the documented rows");
    l->add_option("--source-facts", args->source_facts,
                  "with a table learned from a program: a params.tsv written by hand from facts read in the program's "
                  "source (checks its --help and messages do not state): its rows replace the learned ones of the "
                  "same name, its constraints and `*` row are added, its header comments are kept");
    l->add_option("--sys-version", args->sys_version, "with --from-defaults: the version the document belongs to");
    l->add_option("--document", args->document,
                  "with --from-defaults: how the table's header names the document (default: its file name)");
    l->add_flag("--complete", args->complete,
                "with --from-defaults, --from-pg-settings or --from-flag-help: the source lists every parameter the "
                "system reads, so a key one edit "
                "away from one of them is reported as a misspelling");
    l->add_option("--system", args->system, "system the files configure")->required();
    l->add_option("--input-format", args->format, "format of the files (default: the system's usual one)");
    l->add_option("--out", args->out, "params.tsv to write (default: standard output)");
    l->footer("The table says what each parameter takes (type, list, default); it never turns the values\n"
              "seen into ranges or enums. With --from-defaults, ranges, enumerations, units and restart come\n"
              "from what the document's comments and descriptions state, and rows are marked `doc`.\n"
              "Use it with `ciri validate --spec params.tsv`, or ship it as datasets/<system>/params.tsv.");
    l->callback([args, &ctx] { learn(*args, ctx); });

    auto dargs = std::make_shared<DiffArgs>();
    auto* d = cmd->add_subcommand("diff", "list the parameters added, renamed and removed between two versions' tables");
    d->add_option("old", dargs->older, "the older version's params.tsv")->required()->check(CLI::ExistingFile);
    d->add_option("new", dargs->newer, "the newer version's params.tsv")->required()->check(CLI::ExistingFile);
    d->add_option("--merge", dargs->merge_out,
                  "also write NEW with since/until columns from both (rows only OLD has are kept, until NEW's version)");
    d->add_option("--new-version", dargs->new_version, "with --merge: the version NEW.tsv belongs to");
    d->footer("Output: one line per parameter, `added`, `removed` or `renamed?` (a guess from the same default and\n"
              "type and a similar name: the documents do not say so). With --sys-version, validate reports a\n"
              "parameter outside its since/until as a `version` finding.");
    d->callback([dargs, &ctx] { diff(*dargs, ctx); });
}

}  // namespace ciri
