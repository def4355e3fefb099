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
