// Command-line argument files, as Megatron-LM and vLLM launch scripts are written.
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// `-x`, `--name`: a dash followed by something that does not make a number (-5, -.5, -1e-3).
bool is_flag(std::string_view w) {
    if (w.size() < 2 || w[0] != '-' || w == "--") return false;
    if (is_digit(w[1])) return false;
    if (w[1] == '.' && w.size() > 2 && is_digit(w[2])) return false;
    return true;
}

}  // namespace

/// Parses an argument file with shell word splitting (quotes removed, backslash-newline
/// continuation, `#` comments; nothing expanded, so `$VAR` stays as written). `--name value`,
/// `--name=value` and `-n value` give key `name` / `n` (dashes dropped) and the value with the
/// shell's quotes removed; a flag followed by another flag or by nothing has value "".
/// A word starting with `-` and a digit is a value (negative number), not a flag. Words that are
/// no flag's value (the program: `python pretrain_gpt.py`, `vllm serve MODEL`, anything after
/// `--`) are kept as `_positional[i]`, numbered in file order, so the model name is seen.
/// Without a schema `--flag word` always takes `word` as the flag's value. Repeated flags are
/// kept. line = line of the flag. An unterminated quote is an Error at its line.
Expected<std::vector<Parameter>> parse_args(std::string_view text, const ParseLimits& limits) {
    auto words = split_shell_words(text);
    if (!words) return std::unexpected(words.error());
    std::vector<Parameter> params;
    int positional = 0;
    bool options_ended = false;
    for (size_t i = 0; i < words->size(); ++i) {
        const ShellWord& w = (*words)[i];
        Parameter p;
        p.line = w.line;
        if (!options_ended && w.text == "--") {
            options_ended = true;
            continue;
        }
        if (!options_ended && is_flag(w.text)) {
            std::string_view name = w.text;
            name.remove_prefix(name.starts_with("--") ? 2 : 1);
            if (!split_key_value(name, p.key, p.value) && i + 1 < words->size() &&
                !is_flag((*words)[i + 1].text) && (*words)[i + 1].text != "--")
                p.value = (*words)[++i].text;
        } else {
            p.key = "_positional[" + std::to_string(positional++) + "]";
            p.value = w.text;
        }
        if (params.size() >= limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", p.line);
        params.push_back(std::move(p));
    }
    return params;
}

}  // namespace ciri
