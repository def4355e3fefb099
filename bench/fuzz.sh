#!/bin/sh
# Fuzzes every target of tests/fuzz (or only those named) for SECONDS each (default 60)
# under ASan and UBSan:
#   bench/fuzz.sh [SECONDS] [TARGET...]     e.g. bench/fuzz.sh 120 parse-yaml answer
# Needs clang with libFuzzer: Debian's clang-16 and libclang-rt-16-dev (clang-14 cannot
# compile ciri: its C++23 std::expected needs concepts clang 14 lacks). It builds in its own
# directory ($CIRI_FUZZ_BUILD, default build-fuzz), seeds each target with tests/fixtures
# (read in place) and the crashes saved so far, keeps what it learns in
# $CIRI_FUZZ_BUILD/corpus/<target>/, and writes new crashes, hangs and leaks to
# $CIRI_FUZZ_BUILD/crashes/<target>/. Once fixed, copy them to tests/fuzz/crashes/<target>/,
# where the replay tests of the normal build run them for ever after.
# Prints the executions each target ran and whether it found anything; exits 1 if any did.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
ONLY="$*"
CXX=${CIRI_FUZZ_CXX:-clang++-16}
BUILD=${CIRI_FUZZ_BUILD:-build-fuzz}
JOBS=${CIRI_FUZZ_JOBS:-2}
command -v "$CXX" >/dev/null || {
  echo "fuzz.sh: $CXX not found: apt-get install clang-16 libclang-rt-16-dev (or set CIRI_FUZZ_CXX)" >&2
  exit 2
}
cmake -S . -B "$BUILD" -DCMAKE_CXX_COMPILER="$CXX" -DCIRI_FUZZ=ON -DCIRI_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g" >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target fuzz_all >/dev/null
found=0
printf '%-22s %12s %s\n' target executions result
for exe in "$BUILD"/fuzz/fuzz_*; do
  t=${exe##*/fuzz_}
  if [ -n "$ONLY" ]; then
    case " $ONLY " in *" $t "*) ;; *) continue ;; esac
  fi
  mkdir -p "$BUILD/corpus/$t" "$BUILD/crashes/$t"
  seeds="tests/fixtures"
  [ -d "tests/fuzz/crashes/$t" ] && seeds="$seeds tests/fuzz/crashes/$t"
  log="$BUILD/crashes/$t.log"
  # -timeout: an input taking 10 s is a hang (super-linear cost) and is saved like a crash.
  if "$exe" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
       -artifact_prefix="$BUILD/crashes/$t/" "$BUILD/corpus/$t" $seeds >"$log" 2>&1; then
    result="no crash"
  else
    result="FOUND: see $log and $BUILD/crashes/$t/"
    found=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%-22s %12s %s\n' "$t" "${runs:-?}" "$result"
done
exit $found
