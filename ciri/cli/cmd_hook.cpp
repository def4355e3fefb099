// `ciri hook`: install, remove and run the git hooks that validate what a push or a commit
// changes. The hook scripts are tiny and call back into `ciri hook run`, so the logic stays
// here, tested, and an installed hook follows ciri's upgrades.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "base/error.hpp"
#include "ciri/ciri_config.hpp"
#include "ciri/cli/app.hpp"
#include "ciri/git.hpp"
#include "ciri/file_walk.hpp"
#include "parsers/reader.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = "# installed by `ciri hook install`; `ciri hook uninstall` removes it";
constexpr const char* kChainedSuffix = ".ciri-chained";

struct HookArgs {
    bool pre_push = false, pre_commit = false, force = false;
    std::string kind;                  // hook run KIND
    std::vector<std::string> git_args;  // what git passed to the hook (remote name, url)
    std::vector<std::string> validate_args;
};

std::string hook_name(const HookArgs& a) { return a.pre_commit ? "pre-commit" : "pre-push"; }

// Ours when it is a regular file holding the marker; anything else (another tool's hook, a
// FIFO, a link to a device) is not read further and never overwritten without --force.
bool is_ours(const fs::path& hook) {
    auto text = read_text_file(hook);
    return text && text->find(kMarker) != std::string::npos;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The script git runs. It keeps git's stdin (the pushed refs) for the hook it chains, runs
// that hook first, and then ciri; CIRI overrides the binary recorded at install time.
std::string hook_script(const std::string& name, const fs::path& ciri_binary) {
    std::string s = "#!/bin/sh\n";
    s += std::string(kMarker) + "\n";
    s += "ciri=" + shell_quote(ciri_binary.string()) + "\n";
    s += "[ -n \"$CIRI\" ] && ciri=$CIRI\n";
    s += "command -v \"$ciri\" >/dev/null 2>&1 || ciri=ciri\n";
    s += "input=$(cat)\n";
    s += "chained=\"$0" + std::string(kChainedSuffix) + "\"\n";
    s += "if [ -x \"$chained\" ]; then\n";
    s += "  printf '%s\\n' \"$input\" | \"$chained\" \"$@\" || exit $?\n";
    s += "fi\n";
    s += "printf '%s\\n' \"$input\" | exec \"$ciri\" hook run " + name + " -- \"$@\"\n";
    return s;
}

fs::path self_binary() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("ciri") : p;
}

void install(const HookArgs& a, CommandContext& ctx) {
    auto dir = git_hooks_dir(fs::current_path());
    if (!dir) throw UserError(dir.error().message);
    fs::create_directories(*dir);
    const std::string name = hook_name(a);
    fs::path hook = *dir / name, chained = *dir / (name + kChainedSuffix);
    if (fs::exists(hook) && !is_ours(hook)) {
        if (a.force) {
            fs::remove(hook);
            ctx.err << "ciri: replaced the existing " << name << " hook (--force)\n";
        } else {
            if (fs::exists(chained))
                throw UserError(chained.string() + " already exists; move it away or use --force");
            fs::rename(hook, chained);
            ctx.err << "ciri: kept the existing " << name << " hook; it runs first, as " << chained.filename().string()
                    << "\n";
        }
    }
    {
        std::ofstream out(hook.string() + ".tmp", std::ios::binary | std::ios::trunc);
        out << hook_script(name, self_binary());
        if (!out) throw UserError("cannot write " + hook.string());
    }
    fs::rename(hook.string() + ".tmp", hook);
    fs::permissions(hook, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    ctx.out << "installed " << hook.string() << "\n";
}

void uninstall(const HookArgs& a, CommandContext& ctx) {
    auto dir = git_hooks_dir(fs::current_path());
    if (!dir) throw UserError(dir.error().message);
    const std::string name = hook_name(a);
    fs::path hook = *dir / name, chained = *dir / (name + kChainedSuffix);
    if (!is_ours(hook)) {
        ctx.err << "ciri: no " << name << " hook of ciri's in " << dir->string() << "; nothing removed\n";
        return;
    }
    fs::remove(hook);
    if (fs::exists(chained)) {
        fs::rename(chained, hook);
        ctx.out << "removed ciri's " << name << " hook; restored the one it chained\n";
    } else {
        ctx.out << "removed " << hook.string() << "\n";
    }
}

// The remote's default branch, for a new branch's merge base: refs/remotes/<remote>/HEAD, else
// main or master there.
std::optional<std::string> remote_default(const fs::path& top, const std::string& remote) {
    for (const std::string& ref : {remote + "/HEAD", remote + "/main", remote + "/master"})
        if (run_git(top, {"rev-parse", "--verify", "--quiet", ref + "^{commit}"}).status == 0) return ref;
    return std::nullopt;
}

// What one pushed ref changes: "<local ref> <local sha> <remote ref> <remote sha>".
Expected<std::vector<std::string>> pushed_files(const fs::path& top, const std::string& line,
                                                const std::string& remote, std::string& head) {
    std::istringstream in(line);
    std::string local_ref, local_sha, remote_ref, remote_sha;
    if (!(in >> local_ref >> local_sha >> remote_ref >> remote_sha)) return std::vector<std::string>{};
    if (is_null_sha(local_sha)) return std::vector<std::string>{};  // a deleted ref: nothing to check
    head = local_sha;
    std::string base = remote_sha;
    if (is_null_sha(remote_sha)) {
        // A new branch: what it adds beyond the remote's default branch.
        auto def = remote_default(top, remote);
        auto mb = def ? git_merge_base(top, local_sha, *def) : Expected<std::string>(fail(""));
        // No shared history (the first push of a repository): every file of the commit.
        base = mb ? *mb : "4b825dc642cb6eb9a060e54bf8d69288fbee4904";  // git's empty tree
    } else if (run_git(top, {"cat-file", "-e", remote_sha + "^{commit}"}).status != 0) {
        // The remote moved on to a commit we lack: compare with what we share with it.
        auto def = remote_default(top, remote);
        auto mb = def ? git_merge_base(top, local_sha, *def) : Expected<std::string>(fail(""));
        if (!mb) return std::unexpected(Error{"cannot tell what " + local_ref + " changes: fetch first", 0, {}});
        base = *mb;
    }
    return git_changed_files(top, base, local_sha);
}

// Only what the walk would take is checked in a hook (files .ciri.yaml maps to a system
// included); the rest (README.md, code) is counted, and ciri's own configuration is never
// sent anywhere.
bool checkable(const std::string& rel, const std::string& text, const std::vector<SystemMapping>& systems) {
    if (fs::path(rel).filename() == ".ciri.yaml") return false;
    std::string_view head = std::string_view(text).substr(0, kSniffBytes);
    return why_not_configuration(rel, head).empty() || mapped_configuration(rel, head, systems);
}

void run_hook(const HookArgs& a, CommandContext& ctx) {
    auto top = git_toplevel(fs::current_path());
    if (!top) throw UserError(top.error().message);
    const bool push = a.kind == "pre-push";
    if (!push && a.kind != "pre-commit") throw UserError("hook run takes pre-push or pre-commit, not '" + a.kind + "'");

    // Which files, and which revision's content: a push checks each file as the pushed commit
    // has it; a commit checks what the index holds (git show :path).
    std::vector<std::pair<std::string, std::string>> files;  // path, revision ("" = index)
    std::set<std::string> seen;
    if (push) {
        std::string remote = a.git_args.empty() ? "origin" : a.git_args[0];
        std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        std::istringstream lines(input);
        for (std::string line; std::getline(lines, line);) {
            std::string head;
            auto changed = pushed_files(*top, line, remote, head);
            if (!changed) throw UserError(changed.error().message);
            for (auto& f : *changed)
                if (seen.insert(f).second) files.emplace_back(f, head);
        }
    } else {
        auto staged = git_staged_files(*top);
        if (!staged) throw UserError(staged.error().message);
        for (auto& f : *staged)
            if (seen.insert(f).second) files.emplace_back(f, "");
    }

    // The files' content goes to a private folder laid out as the repository, so findings
    // carry the repository's paths and the work tree is never touched.
    ScratchTree scratch("hook");
    // The work tree's .ciri.yaml says which unrecognisable files are configuration; a broken
    // one is reported by the validate run below.
    fs::path config = *top / ".ciri.yaml";
    std::vector<SystemMapping> systems;
    if (fs::exists(config))
        if (auto c = load_ciri_config(config)) systems = c->systems;
    std::vector<std::string> checked;
    int skipped = 0;
    std::vector<std::string> unreadable;
    for (const auto& [rel, rev] : files) {
        auto text = git_show(*top, rev, rel);
        // Only added, modified and renamed files are listed, so git should show each: say it if not.
        if (!text) {
            unreadable.push_back(rel + " (" + text.error().message + ")");
            continue;
        }
        if (!checkable(rel, *text, systems)) {
            ++skipped;
            continue;
        }
        scratch.put(rel, *text);
        checked.push_back(rel);
    }
    for (const auto& u : unreadable) ctx.err << "ciri: " << a.kind << ": warning: cannot read " << u << ", not checked\n";
    if (checked.empty()) {
        ctx.err << "ciri: " << a.kind << ": no configuration files changed";
        if (skipped) ctx.err << " (" << skipped << " other file(s) not checked)";
        ctx.err << "\n";
        return;
    }
    if (skipped) ctx.err << "ciri: " << a.kind << ": " << skipped << " changed file(s) ciri cannot classify were not checked\n";

    std::vector<std::string> args = {"ciri", "validate"};
    if (fs::exists(config)) args.insert(args.end(), {"--config", config.string()});
    args.insert(args.end(), a.validate_args.begin(), a.validate_args.end());
    args.insert(args.end(), checked.begin(), checked.end());
    std::vector<const char*> argv;
    for (const auto& s : args) argv.push_back(s.c_str());
    int code;
    {
        InDirectory in(scratch.dir());
        code = run_cli(static_cast<int>(argv.size()), argv.data(), ctx.out, ctx.err);
    }
    if (code == kExitMisconfigured)
        ctx.err << "ciri: " << a.kind << " blocked: fix the findings above, silence one with `ciri:ignore <parameter> "
                   "<why>` in a comment of the file (or `ignore:` in .ciri.yaml), or bypass once with `git "
                << (push ? "push" : "commit") << " --no-verify`\n";
    if (code == kExitInconclusive) {
        // A backend being down must not stop work: the hook lets it through unless the
        // repository's fail_on asks for inconclusive files to fail.
        bool strict = false;
        if (fs::exists(config))
            if (auto c = load_ciri_config(config)) strict = std::ranges::find(c->fail_on, "inconclusive") != c->fail_on.end();
        ctx.err << "ciri: " << a.kind << ": no verdict for some files (a backend down?); run `ciri doctor`; "
                << (strict ? "blocked, since fail_on lists inconclusive\n" : "letting it through\n");
        if (!strict) code = kExitOk;
    }
    ctx.exit_code = code;
}

}  // namespace

void add_hook_command(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<HookArgs>();
    auto* cmd = app.add_subcommand("hook", "install, remove or run the git pre-push / pre-commit hook");
    cmd->require_subcommand(1);
    auto kind_flags = [&](CLI::App* sub) {
        auto* push = sub->add_flag("--pre-push", args->pre_push, "the pre-push hook (default): checks what a push sends");
        auto* commit = sub->add_flag("--pre-commit", args->pre_commit, "the pre-commit hook: checks the staged files");
        push->excludes(commit);
    };
    auto* inst = cmd->add_subcommand("install", "write the hook into this repository's hooks folder (core.hooksPath "
                                                "and worktrees honoured); an existing hook is kept and run first");
    kind_flags(inst);
    inst->add_flag("--force", args->force, "replace an existing hook instead of chaining it");
    inst->callback([args, &ctx] { install(*args, ctx); });
    auto* un = cmd->add_subcommand("uninstall", "remove the hook ciri wrote, restoring the one it chained");
    kind_flags(un);
    un->callback([args, &ctx] { uninstall(*args, ctx); });
    auto* run = cmd->add_subcommand("run", "what the installed hook runs: validate the changed configuration files "
                                           "(pre-push reads git's ref lines on stdin)");
    run->add_option("kind", args->kind, "pre-push or pre-commit")->required();
    run->add_option("git-args", args->git_args, "the arguments git gave the hook (remote name and URL)");
    run->add_option("--validate-arg", args->validate_args, "pass this option to validate (repeatable), e.g. "
                                                            "--validate-arg=--offline");
    run->callback([args, &ctx] { run_hook(*args, ctx); });
}

}  // namespace ciri
