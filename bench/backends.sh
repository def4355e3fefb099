#!/bin/sh
# Backend throughput benchmark: 2000 requests, 16 in flight, against the emulator at 100 ms.
# Usage: bench/backends.sh [BUILD_DIR] [REQUESTS] [IN_FLIGHT] [LATENCY_MS]
set -eu
build=${1:-build}
requests=${2:-2000}
in_flight=${3:-16}
latency=${4:-100}
for bin in ciri-emulator bench_backends; do
    [ -x "$build/$bin" ] || { echo "backends.sh: $build/$bin not built" >&2; exit 2; }
done
tmp=$(mktemp -d)
# More server threads than requests in flight, so the emulator never queues them.
"$build/ciri-emulator" --port 0 --threads $((in_flight * 2)) --latency-ms "$latency" >"$tmp/emulator.out" &
emu=$!
trap 'kill $emu 2>/dev/null; wait $emu 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
for _ in $(seq 100); do
    grep -q '^listening on ' "$tmp/emulator.out" 2>/dev/null && break
    sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$tmp/emulator.out" | head -n 1)
[ -n "$url" ] || { echo "backends.sh: the emulator did not start" >&2; exit 2; }
"$build/bench_backends" --base-url "$url" --requests "$requests" --in-flight "$in_flight" --latency-ms "$latency"
