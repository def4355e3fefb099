#include "ciri/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "base/error.hpp"

namespace ciri {

namespace {

// The subcommands, in the order --help lists them.
constexpr AddCommand kCommands[] = {
    add_validate_command,
    add_parse_command,
    add_systems_command,
    add_ask_command,
    add_doctor_command,
    add_eval_command,
    add_calibrate_command,
    add_spec_command,
    add_code_command,
    add_explain_command,
    add_inject_command,
    add_trust_command,
    add_hook_command,
};

constexpr const char* kFooter = R"(
Exit codes:
  0  ok: every file is valid (or the command succeeded)
  1  a misconfiguration was found
  2  usage or input error (bad flag, unreadable or malformed file)
  3  inconclusive: no verdict could be reached (backend down, no quorum)

Run `ciri <command> --help` for the options of a command.)";

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CommandContext ctx{out, err};
    CLI::App app{"ciri: finds misconfigurations in configuration files with LLMs", "ciri"};
    app.footer(kFooter);
    app.set_version_flag("--version", std::string("ciri ") + CIRI_VERSION + " (git " + CIRI_GIT_REV + ")");
    app.require_subcommand(1);
    for (AddCommand add : kCommands) add(app, ctx);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp& e) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion& e) {
        out << e.what() << "\n";
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        // Subcommand help arrives as CallForHelp from the subcommand; CLI11 prints it.
        if (e.get_exit_code() == 0) return app.exit(e, out, err);
        err << "ciri: error: " << e.what() << "\n"
            << "run `ciri --help` for usage\n";
        return kExitUsage;
    } catch (const UserError& e) {
        err << "ciri: error: " << e.what() << "\n";
        return e.exit_code();
    }
    return ctx.exit_code;
}

int run_cli(int argc, char** argv) {
    try {
        return run_cli(argc, argv, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "ciri: internal error: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace ciri
