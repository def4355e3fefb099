#!/bin/bash
# Re-checks datasets/errata/*.tsv with the real programs: every row says the program named in its
# `judge` column refuses `parameter = value`, which the artifact's labels call fine. For each row
# it starts the program on the value (it must refuse it) and on the program's own default for the
# same parameter (it must take it, so the refusal is the value's). Prints one line per row and a
# count; exits 1 when a row does not hold. Judges: postgresql-15 (`postgres -C` on a throw-away
# initdb'd directory: the server reads its settings and exits, no port is opened).
#   bench/errata.sh [ERRATA.tsv]     (default datasets/errata/ciri-icse25.tsv)
# Needs postgresql-15 (apt-get install postgresql-15; not part of .ci/install-deps). Not run by
# the tests or CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
errata=${1:-$root/datasets/errata/ciri-icse25.tsv}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/postgres" ] || { echo "skipped: postgresql-15 not installed (apt-get install postgresql-15)"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The server refuses to run as root: as the package's user then.
as_user=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$work"
  as_user=(setpriv --reuid "$(id -u postgres)" --regid "$(id -g postgres)" --clear-groups)
fi
"${as_user[@]}" "$bin/initdb" -D "$work/data" -A trust >/dev/null
# The value the server takes for PARAM when nothing sets it.
default_of() { "${as_user[@]}" "$bin/postgres" -D "$work/data" -C "$1" 2>&1; }
held=0 failed=0
while IFS=$'\t' read -r item param value judge fact; do
  case "$item" in ''|'#'*|item) continue ;; esac
  if [ "$judge" != postgresql-15 ]; then
    echo "$item $param: judge $judge: no way to run it here"; failed=$((failed + 1)); continue
  fi
  if out=$("${as_user[@]}" "$bin/postgres" -D "$work/data" -C "$param" -c "$param=$value" 2>&1); then
    echo "DOES NOT HOLD  $item  $param = $value: the server takes it ($out)"; failed=$((failed + 1)); continue
  fi
  def=$(default_of "$param") || { echo "DOES NOT HOLD  $item  $param: the server refuses its own default"; failed=$((failed + 1)); continue; }
  why=$(printf '%s\n' "$out" | grep -m1 -E 'FATAL|ERROR|invalid|out of range' || printf '%s\n' "$out" | head -1)
  echo "holds  $item  $param = $value refused ($why); its default $def is taken"
  held=$((held + 1))
done <"$errata"
echo "$held of $((held + failed)) errata hold against the real program"
[ "$failed" = 0 ]
