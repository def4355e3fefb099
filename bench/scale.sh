#!/bin/bash
# ciri's cost per file at scale: CPU seconds, wall time and peak memory of `ciri validate`
# on generated small hdfs files (5 parameters each, 1,000 per folder).
#   bench/scale.sh shots [FILES]        against the emulator at 0 ms latency, with the artifact's
#                                       shot pool (--shots), one sample per file (default 1000 files)
#   bench/scale.sh llm [FILES]          the same without --shots (zero-shot pools of datasets/)
#   bench/scale.sh rules [FILES...]     offline, the rules alone (default 1000 10000 100000)
#   bench/scale.sh throughput [FILES]   against the emulator at LATENCY_MS (default 100) latency,
#                                       at IN_FLIGHT (default "16 64 256") requests in flight,
#                                       without and with --shots (default 1000 files, 3 samples):
#                                       the share of ideal throughput (ideal wall = requests x
#                                       latency / in flight), ciri's CPU per request (user+sys of
#                                       the ciri process / requests) and the emulator's
# FORMAT=jsonl (default json) picks the output; CIRI=path/to/ciri measures another binary.
# Build first: cmake --build build --target ciri ciri-emulator
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
ciri=${CIRI:-$build/ciri}
format=${FORMAT:-json}
mode=${1:-rules}
shift || true
shared=${CIRI_SHARED_DIR:-$root/../shared/ciri-icse25}
work=$(mktemp -d)
emu_pid=
trap '[ -n "$emu_pid" ] && kill $emu_pid 2>/dev/null; rm -rf "$work"' EXIT

# N files in folders of 1,000: each a small hdfs-site-like file with its own values.
make_files() {
    local n=$1 dir=$2
    python3 - "$n" "$dir" <<'PY'
import os, sys
n, root = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    d = os.path.join(root, "g%03d" % (i // 1000))
    if i % 1000 == 0: os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d.xml" % i), "w") as f:
        f.write('<?xml version="1.0"?>\n<configuration>\n'
                '  <property><name>dfs.replication</name><value>%d</value></property>\n'
                '  <property><name>dfs.blocksize</name><value>%dm</value></property>\n'
                '  <property><name>dfs.namenode.handler.count</name><value>%d</value></property>\n'
                '  <property><name>dfs.datanode.du.reserved</name><value>%d</value></property>\n'
                '  <property><name>dfs.heartbeat.interval</name><value>3</value></property>\n'
                '</configuration>\n' % (1 + i % 3, 64 * (1 + i % 4), 10 + i % 50, i))
PY
}

# Runs ciri under /usr/bin/time and prints one row: files, wall s, CPU s, CPU ms per file, peak RSS MiB.
measure() {
    local n=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$ciri" validate --no-config --no-cache -f "$format" -q "$@" \
        >"$work/out" 2>"$work/err" || true
    grep -q "error" "$work/err" && { cat "$work/err" >&2; }
    read -r wall user sys rss <"$work/time"
    awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
        printf "%8d files  wall %7.2f s  cpu %7.2f s  %6.3f ms cpu/file  %6.3f ms wall/file  peak rss %7.1f MiB\n",
               n, w, u + s, (u + s) * 1000 / n, w * 1000 / n, r / 1024 }'
}

# Starts the emulator (extra flags as given) answering "no error" to everything; sets emu_pid, url.
start_emulator() {
    "$build/ciri-emulator" --port 0 "$@" --default-answer \
        '```json
{"hasError": false, "errParameter": [], "reason": []}
```' >"$work/emu" &
    emu_pid=$!
    for _ in $(seq 100); do grep -q listening "$work/emu" && break; sleep 0.1; done
    url=$(sed -n 's/^listening on //p' "$work/emu")
}

case "$mode" in
  shots|llm)
    n=${1:-1000}
    [ "$mode" = shots ] && [ ! -d "$shared/shot_pool" ] && { echo "skipped: ../shared not found"; exit 0; }
    make_files "$n" "$work/files"
    start_emulator --threads 64
    extra=()
    [ "$mode" = shots ] && extra=(--shots "$shared/shot_pool")
    echo "ciri validate, $mode, 1 sample, 16 in flight, emulator at 0 ms ($url), output $format:"
    measure "$n" --samples 1 --max-in-flight 16 -m "openai/m@$url/v1" "${extra[@]}" "$work/files"
    echo "  $(grep -c . "$work/out" || true) output lines; verdicts: $(grep -o '"verdict": *"[a-z]*"' "$work/out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
    ;;
  rules)
    sizes=("$@")
    [ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
    echo "ciri validate, rules alone, offline, output $format:"
    for n in "${sizes[@]}"; do
        rm -rf "$work/files"
        make_files "$n" "$work/files"
        measure "$n" --rules-only "$work/files"
    done
    ;;
  throughput)
    n=${1:-1000}
    latency=${LATENCY_MS:-100}
    in_flight=(${IN_FLIGHT:-16 64 256})
    make_files "$n" "$work/files"
    max=0
    for k in "${in_flight[@]}"; do [ "$k" -gt "$max" ] && max=$k; done
    # More server threads than requests in flight, so the emulator never queues them.
    start_emulator --threads $((max * 2)) --latency-ms "$latency"
    # The emulator's CPU seconds so far (utime + stime of its process).
    emu_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$emu_pid/stat"; }
    # Requests the emulator has served so far.
    emu_requests() { curl -s "$url/stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)["requests"])'; }
    echo "ciri validate of $n files, emulator at $latency ms ($url), 3 samples per file, output $format:"
    for shots in no yes; do
        extra=()
        if [ "$shots" = yes ]; then
            [ -d "$shared/shot_pool" ] || { echo "  --shots: skipped: ../shared not found"; continue; }
            extra=(--shots "$shared/shot_pool")
        fi
        for k in "${in_flight[@]}"; do
            sent=$(emu_requests)
            before=$(emu_cpu)
            /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$ciri" validate --no-config --no-cache -f "$format" -q \
                --max-in-flight "$k" -m "openai/m@$url/v1" "${extra[@]}" "$work/files" >"$work/out" 2>"$work/err" || true
            grep -q "error" "$work/err" && cat "$work/err" >&2
            after=$(emu_cpu)
            requests=$(($(emu_requests) - sent))
            read -r wall user sys rss <"$work/time"
            awk -v n="$n" -v k="$k" -v s="$shots" -v lat="$latency" -v req="$requests" -v w="$wall" -v u="$user" \
                -v sy="$sys" -v eb="$before" -v ea="$after" -v r="$rss" 'BEGIN {
                ideal = req * lat / 1000 / k
                printf "  shots %-3s %4d in flight: %6d requests (%.2f per file)  wall %6.2f s  ideal %6.2f s  %5.1f%% of ideal  ciri %.3f ms cpu/request  emulator %.3f ms cpu/request  peak rss %.1f MiB\n",
                       s, k, req, req / n, w, ideal, 100 * ideal / w, (u + sy) * 1000 / req, (ea - eb) * 1000 / req, r / 1024 }'
        done
    done
    ;;
  *) echo "usage: bench/scale.sh shots|llm|rules|throughput [FILES...]" >&2; exit 2 ;;
esac
