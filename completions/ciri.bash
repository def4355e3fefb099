# bash completion for ciri. Subcommands and options are read from `ciri --help` and
# `ciri <command> --help` when you press TAB, so they stay true as ciri changes.
_ciri() {
    local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac
    done
    local help
    if [[ -z "$cmd" ]]; then
        help=$(ciri --help 2>/dev/null)
        if [[ "$cur" != -* ]]; then
            COMPREPLY=($(compgen -W "$(sed -n '/^Subcommands:/,/^$/{s/^  \([a-z][a-z-]*\) .*/\1/p}' <<<"$help")" -- "$cur"))
            return
        fi
    else
        help=$(ciri "$cmd" --help 2>/dev/null)
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(grep -o -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u)" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _ciri ciri
