#!/bin/bash
# The vote's targets on the paper's artifact, from its recorded answers (no LLM is queried):
# per recorded model, the model alone, the rules alone and rules + that model with weights
# calibrated leave-one-system-out (calibrate on five systems, score the sixth); then rules +
# all eight models the same way. Macro parameter F1 / recall over the six systems.
#   bench/vote.sh        (build first: cmake --build build --target ciri)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
shared=${CIRI_SHARED_DIR:-$root/../shared/ciri-icse25}
[ -d "$shared/datasets" ] || { echo "skipped: ../shared not found"; exit 0; }
ciri=$build/ciri
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ciri" eval import-ciri "$shared" --out "$tmp/answers.jsonl" >/dev/null
macro() {  # results.json -> "F1 recall"
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["macro"]["param"]; print("%.3f %.3f" % (m["f1"], m["recall"]))' "$1"
}
loso() {  # calibrate args... -> "F1 recall"
  "$ciri" calibrate --dataset "$shared" --leave-one-out "$@" | sed -n 's/.*macro parameter F1 \([0-9.]*\), precision [0-9.]*, recall \([0-9.]*\)/\1 \2/p'
}
errata=$root/datasets/errata/ciri-icse25.tsv
table() {  # [--errata FILE] -> the per-model table against those labels
  local e=("$@") out="$tmp/labels$#"  # eval will not write over an --out it did not start
  mkdir -p "$out"
  "$ciri" eval --dataset "$shared" --model rules "${e[@]}" --out "$out/rules" --no-progress >/dev/null 2>&1
  read -r rf1 rrec <<<"$(macro "$out/rules/results.json")"
  printf '%-30s %8s %8s %8s %8s %8s %8s  %s\n' model alone_F1 alone_R rules_F1 both_F1 both_R param_F1 targets
  for m in $models; do
    "$ciri" eval --dataset "$shared" "${e[@]}" --model "recorded/$m@$tmp/answers.jsonl" --out "$out/$m" --no-progress >/dev/null 2>&1
    read -r mf1 mrec <<<"$(macro "$out/$m/results.json")"
    "$ciri" eval --dataset "$shared" "${e[@]}" --model "recorded/$m@$tmp/answers.jsonl" --model rules --out "$out/$m-param" --no-progress >/dev/null 2>&1
    read -r pf1 _ <<<"$(macro "$out/$m-param/results.json")"
    read -r bf1 brec <<<"$(loso "${e[@]}" --model "recorded/$m@$tmp/answers.jsonl" --model rules)"
    ok=$(python3 -c "import sys; b,m,r,br,mr=map(float,sys.argv[1:]); print('met' if b>m and b>r and br>=mr-0.01 else ('NOT met, never below its best' if b>=max(m,r) else 'NOT met'))" "$bf1" "$mf1" "$rf1" "$brec" "$mrec")
    printf '%-30s %8s %8s %8s %8s %8s %8s  %s\n' "$m" "$mf1" "$mrec" "$rf1" "$bf1" "$brec" "$pf1" "$ok"
  done
}
models=$(python3 -c 'import json,sys; print("\n".join(sorted({json.loads(l)["model"] for l in open(sys.argv[1])})))' "$tmp/answers.jsonl")
echo "against the artifact's labels as they are:"
table
read -r af1 arec <<<"$(loso --model "recorded/*@$tmp/answers.jsonl" --model rules)"
echo "rules + 8 models, log-odds calibrated leave-one-system-out: macro parameter F1 $af1, recall $arec (target >= 0.80)"
# The same against the labels corrected where PostgreSQL itself refuses a value the artifact calls
# fine (datasets/errata/ciri-icse25.tsv; bench/errata.sh re-checks each row with the server).
echo
echo "against the program-corrected labels ($(basename "$errata")):"
table --errata "$errata"
eprec=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["macro"]["param"]["precision"])' "$tmp/labels2/rules/results.json")
read -r aef1 aerec <<<"$(loso --errata "$errata" --model "recorded/*@$tmp/answers.jsonl" --model rules)"
echo "rules alone F1 $rf1, precision $eprec, recall $rrec;"
echo "  rules + 8 models, leave-one-system-out: macro parameter F1 $aef1, recall $aerec (target >= 0.80)"
# The per-model target's ceiling: the best any choice of a model's extra findings can do, fitted
# on the scored data itself (bench/vote_ceiling.py says which facts it may look at).
echo
echo "ceiling of rules + one model, fitted in-sample (program-corrected labels):"
"$ciri" calibrate --dataset "$shared" --errata "$errata" --model "recorded/*@$tmp/answers.jsonl" --model rules \
  --opinions-out "$tmp/opinions.jsonl" >/dev/null
python3 "$root/bench/vote_ceiling.py" "$tmp/opinions.jsonl" "$root/datasets"
echo "(alone = the model's own majority; both = rules + model, log-odds vote, leave-one-system-out;"
echo " param = rules + model, uncalibrated param vote with abstention)"
