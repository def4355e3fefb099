#include "ciri/cli/change_scope.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>
#include <set>

#include "base/error.hpp"
#include "ciri/baseline.hpp"
#include "ciri/git.hpp"

namespace ciri {

namespace fs = std::filesystem;

void add_change_options(CLI::App* cmd, ChangeScope& scope) {
    cmd->add_option("--changed", scope.changed,
                    "validate only the files changed since REV (default: the branch's upstream); with "
                    "--staged/--worktree, those changes too")
        ->expected(0, 1)
        ->default_str("");
    cmd->add_flag("--staged", scope.staged, "validate the files staged for commit");
    cmd->add_flag("--worktree", scope.worktree, "validate the files changed in the work tree (and untracked ones)");
    cmd->add_flag("--new-only", scope.new_only,
                  "report only findings the change introduced: the files are validated at REV too");
    cmd->add_option("--baseline", scope.baseline, "a baseline file (--write-baseline): its findings are not reported");
    cmd->add_option("--write-baseline", scope.write_baseline, "write this run's findings as a baseline file");
}

bool selects_from_git(const ChangeScope& s) { return s.changed.has_value() || s.staged || s.worktree; }

std::vector<std::string> changed_paths(const ChangeScope& scope, std::string& rev_out) {
    fs::path cwd = fs::current_path();
    auto top = git_toplevel(cwd);
    if (!top) throw UserError(top.error().message + " (--changed, --staged and --worktree need git)");
    std::vector<std::string> rel;
    auto take = [&](Expected<std::vector<std::string>> files) {
        if (!files) throw UserError(files.error().message);
        rel.insert(rel.end(), files->begin(), files->end());
    };
    rev_out = "HEAD";
    if (scope.changed) {
        std::string rev = *scope.changed;
        if (rev.empty()) {
            auto up = git_upstream(*top);
            if (!up) throw UserError(up.error().message);
            rev = *up;
        }
        // Against where the branch left REV, as a pull request's diff is.
        auto base = git_merge_base(*top, rev, "HEAD");
        if (!base) throw UserError("unknown revision or no shared history: " + rev);
        take(git_changed_files(*top, *base, "HEAD"));
        rev_out = *base;
    }
    if (scope.staged) take(git_staged_files(*top));
    if (scope.worktree) take(git_worktree_files(*top));
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& r : rel) {
        fs::path p = *top / r;
        if (!fs::is_regular_file(p) || !seen.insert(r).second) continue;
        out.push_back(fs::relative(p, cwd).string());
    }
    return out;
}

void apply_change_filters(const ChangeScope& scope, const std::string& rev, RunReport& report,
                          const ValidateOptions& options, LlmClient& client, CommandContext& ctx) {
    if (scope.new_only) {
        auto top = git_toplevel(fs::current_path());
        if (!top) throw UserError(top.error().message + " (--new-only needs git)");
        // The same files at REV, laid out as the repository in a private folder, so the report's
        // paths match and the work tree is never written.
        ScratchTree scratch("new-only");
        std::vector<std::string> old_paths;
        int fresh = 0;
        for (const auto& file : report.files) {
            fs::path abs = fs::absolute(file.path);
            std::string rel = fs::relative(abs, *top).string();
            auto text = git_show(*top, rev, rel);
            if (!text) {  // new at this change: every finding is new
                ++fresh;
                continue;
            }
            scratch.put(file.path, *text);
            old_paths.push_back(file.path);
        }
        if (fresh)
            ctx.err << "ciri: note: --new-only: " << fresh << " file(s) not at " << rev
                    << ", so all their findings are new\n";
        if (!old_paths.empty()) {
            ValidateOptions quiet = options;
            quiet.progress = nullptr;
            RunReport before = [&] {
                InDirectory in(scratch.dir());
                return validate_files(old_paths, quiet, client);
            }();
            int hidden = keep_new_findings(report, before, rev);
            if (hidden) ctx.err << "ciri: note: --new-only: " << hidden << " finding(s) were already there at " << rev << "\n";
        }
    }
    if (!scope.baseline.empty()) {
        auto keys = read_baseline(scope.baseline);
        if (!keys) throw UserError(keys.error().format());
        int hidden = apply_baseline(report, *keys, scope.baseline);
        if (hidden) ctx.err << "ciri: note: " << hidden << " finding(s) are in the baseline " << scope.baseline << "\n";
    }
    if (!scope.write_baseline.empty())
        if (auto w = write_baseline(scope.write_baseline, report); !w) throw UserError(w.error().format());
}

}  // namespace ciri
