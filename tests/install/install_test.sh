#!/bin/bash
# Installs ciri into a temporary prefix and checks that the installed binary, with the source
# tree out of its reach, finds its data and gives the build tree's findings; that a copied
# binary without data says so instead of running without its rules; and that CIRI_DATA_DIR
# points it back at the data. Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
check() {  # check NAME COMMAND...: one assertion
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "0 passed, 1 failed"; exit 1; }
check "binary installed" test -x "$tmp/prefix/bin/ciri"
check "templates installed" test -d "$tmp/prefix/share/ciri/prompts/templates"
check "spec tables installed" test -f "$tmp/prefix/share/ciri/datasets/deepspeed/params.tsv"
check "bash completion installed" test -f "$tmp/prefix/share/bash-completion/completions/ciri"

cd "$src" || exit 1
"$build/ciri" validate --color never examples/ >"$tmp/build.out" 2>"$tmp/build.err"; build_rc=$?
# The installed binary runs from a copy of the examples in another folder, with the same
# relative paths, so nothing of the source tree is used but the inputs.
mkdir -p "$tmp/work" && cp -r examples "$tmp/work/"
(cd "$tmp/work" && "$tmp/prefix/bin/ciri" validate --color never examples/ >"$tmp/inst.out" 2>"$tmp/inst.err"); inst_rc=$?
check "installed exit code is the build tree's ($build_rc)" test "$inst_rc" = "$build_rc"
check "installed findings are the build tree's" diff "$tmp/build.out" "$tmp/inst.out"
check "the examples have findings" grep -q misconfigured "$tmp/inst.out"

# A binary copied away from its data refuses to run without its rules.
mkdir -p "$tmp/moved/bin" && cp "$tmp/prefix/bin/ciri" "$tmp/moved/bin/"
(cd "$tmp/work" && "$tmp/moved/bin/ciri" validate examples/ >"$tmp/moved.out" 2>"$tmp/moved.err"); moved_rc=$?
check "moved binary exits 2 (got $moved_rc)" test "$moved_rc" = 2
check "moved binary says where it looked and what to do" grep -q "cannot find ciri's data.*CIRI_DATA_DIR" "$tmp/moved.err"
(cd "$tmp/work" && CIRI_DATA_DIR="$tmp/prefix/share/ciri" "$tmp/moved/bin/ciri" validate --color never examples/ >"$tmp/env.out" 2>/dev/null)
check "CIRI_DATA_DIR brings the data back" diff "$tmp/build.out" "$tmp/env.out"
CIRI_DATA_DIR="$tmp/nowhere" "$tmp/prefix/bin/ciri" validate "$tmp/work/examples" >/dev/null 2>"$tmp/bad.err"
check "a wrong CIRI_DATA_DIR is an error, not a fallback" grep -q "CIRI_DATA_DIR=.*does not hold" "$tmp/bad.err"

check "--version names the git revision" bash -c "'$tmp/prefix/bin/ciri' --version | grep -q '(git '"
check "bash completion loads" bash -c "source '$src/completions/ciri.bash' && complete -p ciri >/dev/null"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
