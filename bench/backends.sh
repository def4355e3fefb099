#!/bin/sh
# Backend throughput benchmark: 2000 requests, 16 in flight, against the emulator at 100 ms.
# Usage: bench/backends.sh [BUILD_DIR] [REQUESTS] [IN_FLIGHT] [LATENCY_MS]
# Prints bench_backends' figures (ciri's client) and then the emulator's own CPU per request
# (user+system ticks from /proc/PID/stat over the run), so a slow emulator shows as one.
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
# utime + stime of the emulator in clock ticks (fields 14 and 15; the command name in field 2
# has no spaces here).
emulator_ticks() { awk '{ print $14 + $15 }' "/proc/$emu/stat"; }
ticks0=$(emulator_ticks)
status=0
"$build/bench_backends" --base-url "$url" --requests "$requests" --in-flight "$in_flight" --latency-ms "$latency" || status=$?
ticks1=$(emulator_ticks)
awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {
    printf "emulator CPU:  %.3f s user+sys = %.3f ms per request (/proc/PID/stat)\n",
        t / hz, 1000 * t / hz / n }'
exit $status
