#!/bin/bash
# How long the pre-push hook takes offline (rules alone) on a repository of 2000 configuration
# files of which 10 changed, as a developer would feel it on every push. Prints the median of
# RUNS runs of `ciri hook run pre-push` fed the ref line git would give it.
# Usage: bench/hook.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-11}
ciri=$(cd "$build" && pwd)/ciri
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
git init -q -b main repo && cd repo
git config user.email bench@example.com && git config user.name bench
for i in $(seq 1 2000); do
    mkdir -p "svc$((i % 50))"
    case $((i % 4)) in
        0) printf 'max_wal_size = 4GB\nmin_wal_size = 1GB\nshared_buffers = 128MB\n' >"svc$((i % 50))/pg$i.conf" ;;
        1) printf 'port 6379\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n' >"svc$((i % 50))/redis$i.conf" ;;
        2) printf '{"train_batch_size": 32, "train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 8}\n' >"svc$((i % 50))/ds$i.json" ;;
        3) printf 'tickTime=2000\nclientPort=2181\ninitLimit=10\n' >"svc$((i % 50))/zoo$i.cfg" ;;
    esac
done
git add -A && git commit -qm base
base=$(git rev-parse HEAD)
for i in $(seq 1 10); do printf 'max_wal_size = 8GB\nmin_wal_size = 2GB\n' >"svc$i/pg_changed$i.conf"; done
git add -A && git commit -qm change
head=$(git rev-parse HEAD)
line="refs/heads/main $head refs/heads/main $base"
times=()
for r in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    echo "$line" | "$ciri" hook run pre-push -- origin /dev/null >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
printf 'pre-push hook, 2000 files, 10 changed, offline: median %.3f s over %d runs (target < 0.3 s)\n' "$median" "$runs"
