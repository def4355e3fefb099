// The command line: subcommands picked from a table.
#pragma once

#include <iosfwd>

namespace CLI {
class App;
}

namespace ciri {

/// Where a subcommand writes and what it returns; commands never call exit().
struct CommandContext {
    std::ostream& out;
    std::ostream& err;
    int exit_code = 0;
};

/// Runs ciri with `argv`, writing to `out`/`err`; returns the process exit code.
/// UserError and usage errors are caught here and printed as `ciri: error: ...`.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// As above, on stdout/stderr.
int run_cli(int argc, char** argv);

/// Registers one subcommand on `app`; its callback reports through `ctx`.
using AddCommand = void (*)(CLI::App& app, CommandContext& ctx);

// One line per subcommand; each is defined in its own cmd_<name>.cpp.
void add_parse_command(CLI::App& app, CommandContext& ctx);
void add_systems_command(CLI::App& app, CommandContext& ctx);
void add_eval_command(CLI::App& app, CommandContext& ctx);
void add_ask_command(CLI::App& app, CommandContext& ctx);
void add_doctor_command(CLI::App& app, CommandContext& ctx);
void add_validate_command(CLI::App& app, CommandContext& ctx);
void add_spec_command(CLI::App& app, CommandContext& ctx);
void add_inject_command(CLI::App& app, CommandContext& ctx);
void add_trust_command(CLI::App& app, CommandContext& ctx);
void add_calibrate_command(CLI::App& app, CommandContext& ctx);
void add_hook_command(CLI::App& app, CommandContext& ctx);
void add_code_command(CLI::App& app, CommandContext& ctx);
void add_explain_command(CLI::App& app, CommandContext& ctx);

}  // namespace ciri
