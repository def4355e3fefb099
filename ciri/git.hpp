// Asking git: which files a push or a commit changes, and a file as it was at a revision. git
// runs as a child process with an argument vector (no shell), so paths and revisions from a
// repository cannot inject commands.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace ciri {

/// What a git command printed and how it ended.
struct GitResult {
    int status = -1;  ///< exit status; -1 when git could not be started
    std::string out;
    std::string err;
};

/// Runs `git args...` in `dir` and captures its output; never throws.
GitResult run_git(const std::filesystem::path& dir, const std::vector<std::string>& args,
                  const std::string& stdin_text = "");

/// The work tree's top folder for `dir`, or an Error when `dir` is not in a git work tree.
Expected<std::filesystem::path> git_toplevel(const std::filesystem::path& dir);

/// The folder git runs hooks from for the repository at `dir`: honours core.hooksPath and
/// worktrees (`git rev-parse --git-path hooks`), as an absolute path.
Expected<std::filesystem::path> git_hooks_dir(const std::filesystem::path& dir);

/// Files added, copied, modified or renamed between `base` and `head` (paths relative to the
/// top folder; deleted files are left out, since nothing is left to validate).
Expected<std::vector<std::string>> git_changed_files(const std::filesystem::path& dir, const std::string& base,
                                                     const std::string& head);

/// Files changed in the index against HEAD (what a commit would record).
Expected<std::vector<std::string>> git_staged_files(const std::filesystem::path& dir);

/// Files changed in the work tree against the index, plus untracked files git does not ignore.
Expected<std::vector<std::string>> git_worktree_files(const std::filesystem::path& dir);

/// The merge base of `a` and `b`, or an Error when they share no history.
Expected<std::string> git_merge_base(const std::filesystem::path& dir, const std::string& a, const std::string& b);

/// The upstream of the current branch (`@{upstream}`), or an Error saying there is none.
Expected<std::string> git_upstream(const std::filesystem::path& dir);

/// `path` (relative to the top folder) as it is at `rev`, read with `git show` and never
/// written to the work tree; an Error when it did not exist there.
Expected<std::string> git_show(const std::filesystem::path& dir, const std::string& rev, const std::string& path);

/// A private folder for files read at a revision, laid out as the repository so reports carry
/// the repository's paths; it and everything in it are removed when it goes out of scope, even
/// when validation throws.
class ScratchTree {
public:
    /// A fresh, empty folder under the temp dir, named after `purpose` and this process.
    explicit ScratchTree(const std::string& purpose);
    ~ScratchTree();
    ScratchTree(const ScratchTree&) = delete;
    ScratchTree& operator=(const ScratchTree&) = delete;
    const std::filesystem::path& dir() const { return dir_; }
    /// Writes `text` at `rel` under dir(), making its folders.
    void put(const std::string& rel, const std::string& text) const;

private:
    std::filesystem::path dir_;
};

/// Makes `dir` the working directory until it goes out of scope, then restores the old one.
class InDirectory {
public:
    explicit InDirectory(const std::filesystem::path& dir);
    ~InDirectory();
    InDirectory(const InDirectory&) = delete;
    InDirectory& operator=(const InDirectory&) = delete;

private:
    std::filesystem::path old_;
};

/// True for git's all-zero object id, which stands for "no commit" in hook input.
bool is_null_sha(const std::string& sha);

}  // namespace ciri
