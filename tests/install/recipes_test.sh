#!/bin/bash
# Runs the cluster recipes (recipes/) locally: the Slurm array script and the Indexed Job's
# shard script, four shards each, then `ciri eval merge`; the merged scores must equal one
# unsharded run. `srun` is a stand-in that runs its command, as Slurm would on one node.
# Usage: recipes_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
check() {
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}
scores() {  # what a results.json scores, without the run's own times
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({k: r[k] for k in ("items", "macro", "systems", "categories")}, sort_keys=True))' "$1"
}
export CIRI="$build/ciri"
dataset="$src/tests/fixtures/eval/small"
cd "$src" || exit 1

"$CIRI" eval --no-progress --dataset "$dataset" --model rules --out "$tmp/whole" >/dev/null 2>&1
check "one run" test -f "$tmp/whole/results.json"

# Kubernetes Indexed Job: JOB_COMPLETION_INDEX per pod, CIRI_SHARDS from the Job's env.
for i in 0 1 2 3; do
    JOB_COMPLETION_INDEX=$i CIRI_SHARDS=4 CIRI_OUT="$tmp/k8s" recipes/eval-shard.sh --dataset "$dataset" --model rules \
        >/dev/null 2>"$tmp/k8s-$i.err"
    check "indexed job shard $i" test -f "$tmp/k8s/shard-$i/results.json"
done
"$CIRI" eval merge "$tmp"/k8s/shard-* --out "$tmp/k8s/merged" >/dev/null
check "indexed job: merged scores equal one run" test "$(scores "$tmp/whole/results.json")" = "$(scores "$tmp/k8s/merged/results.json")"

# Slurm job array: the sbatch script itself, with the array variables Slurm sets.
mkdir -p "$tmp/bin" && printf '#!/bin/sh\nexec "$@"\n' >"$tmp/bin/srun" && chmod +x "$tmp/bin/srun"
sed "s|--dataset datasets|--dataset $dataset|" recipes/eval-array.sbatch >"$tmp/array.sbatch"
for i in 0 1 2 3; do
    PATH="$tmp/bin:$PATH" SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=4 SLURM_CPUS_PER_TASK=1 CIRI_OUT="$tmp/slurm" \
        bash "$tmp/array.sbatch" >/dev/null 2>"$tmp/slurm-$i.err"
    check "array task $i" test -f "$tmp/slurm/shard-$i/results.json"
done
"$CIRI" eval merge "$tmp"/slurm/shard-* --out "$tmp/slurm/merged" >/dev/null
check "job array: merged scores equal one run" test "$(scores "$tmp/whole/results.json")" = "$(scores "$tmp/slurm/merged/results.json")"

env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX CIRI_OUT="$tmp/x" recipes/eval-shard.sh >/dev/null 2>"$tmp/none.err"
check "no scheduler index is an error (exit 2)" test $? = 2
check "it says how to run it" grep -q "Indexed Job" "$tmp/none.err"
check "the recipe is a valid sbatch file to ciri" bash -c "'$CIRI' validate -q recipes/eval-array.sbatch >/dev/null"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
