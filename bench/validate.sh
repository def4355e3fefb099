#!/bin/bash
# ciri's defaults vs the paper's way of querying, against the emulator at 300 ms per request,
# replaying a recorded model's answers so both modes see the same LLM.
#   bench/validate.sh [FILES_PER_KIND] [MODEL]    (default: all 600 files, CodeLlama-7b-Instruct-hf)
# Build first: cmake --build build --target bench_validate ciri-emulator
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
shared=${CIRI_SHARED_DIR:-$root/../shared/ciri-icse25}
per_kind=${1:-1000}
model=${2:-CodeLlama-7b-Instruct-hf}
[ -d "$shared/datasets" ] || { echo "skipped: ../shared not found"; exit 0; }
out=$(mktemp)
script=$(mktemp)
trap 'rm -f "$out" "$script"' EXIT
# Prompts in the compact view do not hold the file's text, by which --recorded finds a file:
# a script answers them with the same recorded answers.
"$build/bench_validate" --script-out "$script" "$shared" "$per_kind" "$model"
"$build/ciri-emulator" --port 0 --latency-ms 300 --threads 64 --script "$script" \
  --recorded "$shared/results/synthesize_config" --recorded-model "$model" >"$out" &
emu=$!
trap 'kill $emu 2>/dev/null; rm -f "$out" "$script"' EXIT
for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out")
echo "emulator: $url, 300 ms latency, recorded answers of $model"
"$build/bench_validate" "$url" "$shared" "$per_kind"
