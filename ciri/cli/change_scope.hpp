// validate's git-aware options: which files a change touches (--changed, --staged, --worktree)
// and which findings it introduced (--new-only, --baseline, --write-baseline).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ciri/cli/app.hpp"
#include "ciri/pipeline.hpp"

namespace CLI {
class App;
}

namespace ciri {

class LlmClient;

/// The options, as parsed.
struct ChangeScope {
    std::optional<std::string> changed;  ///< --changed [REV]; "" = the branch's upstream
    bool staged = false, worktree = false, new_only = false;
    std::string baseline, write_baseline;
};

/// Adds --changed, --staged, --worktree, --new-only, --baseline and --write-baseline to `cmd`.
void add_change_options(CLI::App* cmd, ChangeScope& scope);

/// True when the scope picks files from git instead of the paths given.
bool selects_from_git(const ChangeScope& scope);

/// The changed files (relative to the working directory, each once, existing ones only), or a
/// UserError when the working directory is not in a git work tree or REV is unknown. The
/// revision compared with is stored in `rev_out` ("" for --staged/--worktree alone: HEAD).
std::vector<std::string> changed_paths(const ChangeScope& scope, std::string& rev_out);

/// Applies --new-only (validating the same files as they were at `rev`, read with git show into
/// a private folder, never the work tree) and --baseline to `report`; writes --write-baseline.
/// Notes on stderr say how many findings each hid.
void apply_change_filters(const ChangeScope& scope, const std::string& rev, RunReport& report,
                          const ValidateOptions& options, LlmClient& client, CommandContext& ctx);

}  // namespace ciri
