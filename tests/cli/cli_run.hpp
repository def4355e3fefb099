// Runs the CLI in-process, capturing what it prints.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "ciri/cli/app.hpp"

namespace ciri::test {

struct CliResult {
    int code;
    std::string out;
    std::string err;
};

/// Runs `ciri args...` through run_cli with string streams.
inline CliResult run_ciri(std::vector<std::string> args) {
    args.insert(args.begin(), "ciri");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

}  // namespace ciri::test

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ciri::test {

/// Runs the real `ciri` binary (CIRI_BINARY_DIR/ciri) through the shell with `env`
/// assignments prepended and `stdin_file` (if any) on standard input; output is captured
/// through files in `scratch`.
inline CliResult run_ciri_binary(const std::string& env, const std::vector<std::string>& args,
                                 const std::filesystem::path& scratch, const std::string& stdin_file = "") {
    std::string cmd = env + " " + (std::filesystem::path(CIRI_BINARY_DIR) / "ciri").string();
    for (const auto& a : args) cmd += " '" + a + "'";
    auto out = scratch / "stdout.txt", err = scratch / "stderr.txt";
    cmd += " <" + (stdin_file.empty() ? std::string("/dev/null") : stdin_file);
    cmd += " >" + out.string() + " 2>" + err.string();
    int status = std::system(cmd.c_str());
    auto slurp = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

}  // namespace ciri::test
