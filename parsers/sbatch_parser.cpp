// Slurm batch scripts: the #SBATCH header and the environment the script exports.
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

struct ShortOption {
    char letter;
    std::string_view name;
    bool takes_value;
};

// sbatch(1)'s short options, so `-N 4` and `--nodes=4` give the same key.
constexpr ShortOption kShortOptions[] = {
    {'A', "account", true},    {'a', "array", true},          {'b', "begin", true},
    {'C', "constraint", true}, {'c', "cpus-per-task", true},  {'D', "chdir", true},
    {'d', "dependency", true}, {'e', "error", true},          {'F', "nodefile", true},
    {'G', "gpus", true},       {'H', "hold", false},          {'i', "input", true},
    {'J', "job-name", true},   {'k', "no-kill", false},       {'L', "licenses", true},
    {'M', "clusters", true},   {'m', "distribution", true},   {'N', "nodes", true},
    {'n', "ntasks", true},     {'O', "overcommit", false},    {'o', "output", true},
    {'p', "partition", true},  {'Q', "quiet", false},         {'q', "qos", true},
    {'S', "core-spec", true},  {'s', "oversubscribe", false}, {'t', "time", true},
    {'V', "version", false},   {'v', "verbose", false},       {'W', "wait", false},
    {'w', "nodelist", true},   {'x', "exclude", true},
};

// Long options that take no value, so `--exclusive --nodes=2` is not misread; --exclusive
// and --no-kill take an optional value only in the `=value` form.
constexpr std::string_view kLongFlags[] = {
    "contiguous",    "exclusive", "hold",  "ignore-pbs", "no-kill", "no-requeue", "overcommit",
    "oversubscribe", "parsable",  "quiet", "reboot",     "requeue", "spread-job", "test-only",
    "use-min-nodes", "verbose",   "wait",  "help",       "usage",   "version",
};

bool is_long_flag(std::string_view name) {
    for (std::string_view f : kLongFlags)
        if (f == name) return true;
    return false;
}

const ShortOption* find_short(char letter) {
    for (const ShortOption& o : kShortOptions)
        if (o.letter == letter) return &o;
    return nullptr;
}

bool is_env_name(std::string_view s) {
    if (s.empty() || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return true;
}

/// The options of one #SBATCH line, appended to `out`.
Expected<void> header_options(std::string_view rest, int line, std::vector<Parameter>& out) {
    auto words = split_shell_words(rest, line);
    if (!words) return std::unexpected(words.error());
    const auto& w = *words;
    for (size_t i = 0; i < w.size(); ++i) {
        std::string_view word = w[i].text;
        Parameter p;
        p.line = line;
        if (word.starts_with("--") && word.size() > 2) {
            std::string_view name = word.substr(2);
            bool glued = split_key_value(name, p.key, p.value);
            if (!glued && !is_long_flag(name) && i + 1 < w.size() &&
                !w[i + 1].text.starts_with("-"))
                p.value = w[++i].text;
        } else if (word.size() >= 2 && word[0] == '-' && word[1] != '-') {
            const ShortOption* opt = find_short(word[1]);
            p.key = opt ? std::string(opt->name) : std::string(1, word[1]);
            bool takes_value = !opt || opt->takes_value;
            if (word.size() > 2) {
                p.value = std::string(word.substr(word[2] == '=' ? 3 : 2));
            } else if (takes_value && i + 1 < w.size()) {
                p.value = w[++i].text;
            }
        } else {
            return fail("expected an option after #SBATCH, got '" + std::string(word) + "'", line);
        }
        out.push_back(std::move(p));
    }
    return {};
}

// Launchers whose options shape a GPU job, as the body runs them; `python -m
// torch.distributed.run` (or .launch) is torchrun.
bool is_launcher(std::string_view w) {
    return w == "srun" || w == "torchrun" || w == "deepspeed" || w == "accelerate";
}

// Options of these launchers that take no value, so `--standalone train.py` is not misread.
constexpr std::string_view kLauncherFlags[] = {
    "standalone", "no_python", "no-python", "run_path", "run-path", "module", "m", "no_local_rank",
    "no_ssh_check", "force_multi", "elastic_training", "bind_cores_to_rank", "enable_each_rank_log",
    "multi_gpu", "use_deepspeed", "use_fsdp", "use_megatron_lm", "cpu", "same_network", "debug", "quiet",
    "exclusive", "overlap", "unbuffered", "label", "kill-on-bad-exit", "mpi=pmix", "verbose", "tpu",
    "zero3_init_flag", "zero3_save_16bit_model", "fsdp_offload_params", "dynamo_use_fullgraph",
};

bool is_launcher_flag(std::string_view name) {
    for (std::string_view f : kLauncherFlags)
        if (f == name) return true;
    return false;
}

/// The options of the launchers on one (joined) command of the body, as
/// `launch.<tool>.<option>` (srun short options by their long names), appended to `out`.
/// Words before the first launcher (`env X=1`, `exec`, `time`) are skipped; the options of a
/// launcher end at its first plain word, which may be the next launcher (`srun torchrun ...`).
void launcher_options(const std::vector<ShellWord>& w, int line, std::vector<Parameter>& out) {
    size_t i = 0;
    while (i < w.size() && !is_launcher(w[i].text) &&
           !((w[i].text == "python" || w[i].text == "python3") && i + 2 < w.size() && w[i + 1].text == "-m" &&
             (w[i + 2].text == "torch.distributed.run" || w[i + 2].text == "torch.distributed.launch")))
        ++i;
    while (i < w.size()) {
        std::string tool = w[i].text;
        if (tool == "python" || tool == "python3") {
            if (!(i + 2 < w.size() && w[i + 1].text == "-m" &&
                  (w[i + 2].text == "torch.distributed.run" || w[i + 2].text == "torch.distributed.launch")))
                return;
            tool = "torchrun";
            i += 3;
        } else if (is_launcher(tool)) {
            ++i;
            if (tool == "accelerate") {
                if (i >= w.size() || w[i].text != "launch") return;
                ++i;
            }
        } else {
            return;
        }
        while (i < w.size() && w[i].text.size() > 1 && w[i].text[0] == '-') {
            std::string_view word = w[i].text;
            Parameter p;
            p.line = line;
            std::string name;
            if (word.starts_with("--")) {
                std::string key, value;
                bool glued = split_key_value(word.substr(2), key, value);
                name = key;
                p.value = value;
                if (!glued && !is_launcher_flag(name) && i + 1 < w.size() && !w[i + 1].text.starts_with("-") &&
                    !w[i + 1].text.ends_with(".py"))
                    p.value = w[++i].text;
            } else {
                const ShortOption* opt = tool == "srun" ? find_short(word[1]) : nullptr;
                name = opt ? std::string(opt->name) : std::string(word.substr(1, 1));
                if (word.size() > 2) p.value = std::string(word.substr(word[2] == '=' ? 3 : 2));
                else if ((opt ? opt->takes_value : !is_launcher_flag(name)) && i + 1 < w.size() &&
                         !w[i + 1].text.starts_with("-") && !is_launcher(w[i + 1].text))
                    p.value = w[++i].text;
            }
            ++i;
            if (name.empty()) continue;
            p.key = "launch." + tool + "." + name;
            out.push_back(std::move(p));
        }
        if (i >= w.size() || !is_launcher(w[i].text)) {
            if (i < w.size() && (w[i].text == "python" || w[i].text == "python3")) continue;
            return;
        }
    }
}

}  // namespace

/// Parses a Slurm batch script. The header is read as sbatch reads it: lines starting exactly
/// with `#SBATCH` (so `# SBATCH` and `##SBATCH` are disabled), up to the first line that is
/// neither blank nor a comment. `--opt=value`, `--opt value` and `-X value` / `-Xvalue` give the
/// long option name as key (`-N` -> `nodes`, `-G` -> `gpus`, see kShortOptions) and the value
/// with shell quotes removed; a flag (`--exclusive`) has value "". Several options on one line
/// are fine; `#` starts a trailing comment. A word that is not an option is an Error with its
/// line. In the body, `export NAME=value ...` lines are recorded as key `env.NAME` (value with
/// shell quotes removed, `$VAR` not expanded), because variables such as NCCL_* shape GPU jobs;
/// lines that are not simple exports are left alone, as is the rest of the script, except the
/// command lines (backslash continuations joined) that run srun, torchrun (or `python -m
/// torch.distributed.run`), deepspeed or accelerate launch: their options are recorded as
/// `launch.<tool>.<option>` at the command's first line (`srun --ntasks-per-node=1 torchrun
/// --nproc_per_node=8 train.py` gives launch.srun.ntasks-per-node and
/// launch.torchrun.nproc_per_node), because they must agree with the header.
Expected<std::vector<Parameter>> parse_sbatch(std::string_view text, const ParseLimits& limits) {
    std::vector<Parameter> params;
    bool in_header = true;
    std::string command;  // a body command being joined across backslash-newlines
    int command_line = 0;
    for (const Line& l : split_lines(text)) {
        std::string_view s = trim(l.text);
        if (in_header) {
            if (l.text.starts_with("#SBATCH") &&
                (l.text.size() == 7 || l.text[7] == ' ' || l.text[7] == '\t')) {
                if (auto ok = header_options(l.text.substr(7), l.number, params); !ok)
                    return std::unexpected(ok.error());
            } else if (!s.empty() && s[0] != '#') {
                in_header = false;
            }
        }
        if (!in_header && (!command.empty() || !s.starts_with('#'))) {
            if (command.empty()) command_line = l.number;
            bool more = s.ends_with('\\');
            command.append(more ? s.substr(0, s.size() - 1) : s).push_back(' ');
            if (!more) {
                if (auto words = split_shell_words(command, command_line)) launcher_options(*words, command_line, params);
                command.clear();
            }
        }
        if (!in_header && s.starts_with("export") && s.size() > 6 &&
            (s[6] == ' ' || s[6] == '\t')) {
            auto words = split_shell_words(s.substr(7), l.number);
            if (!words) continue;  // the script's own syntax is the shell's business
            for (const ShellWord& w : *words) {
                size_t eq = w.text.find('=');
                std::string_view name = std::string_view(w.text).substr(0, eq);
                if (!is_env_name(name)) break;  // `;`, `&&`: no longer a simple export
                if (eq == std::string::npos) continue;  // `export NAME` assigns nothing
                params.push_back(
                    {"env." + std::string(name), w.text.substr(eq + 1), l.number, {}, {}});
            }
        }
        if (params.size() > limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", l.number);
    }
    return params;
}

}  // namespace ciri
