#!/bin/bash
# One shard of a large `ciri eval`, for cluster schedulers. The shard's index comes from the
# scheduler: SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes
# Indexed Job); the count from SLURM_ARRAY_TASK_COUNT or CIRI_SHARDS. Every shard writes
# $CIRI_OUT/shard-<index>; when all are done, merge them with
#     ciri eval merge $CIRI_OUT/shard-* --out $CIRI_OUT/merged
# Usage: eval-shard.sh [ciri eval options...]   (CIRI_OUT is required; CIRI names the binary)
set -euo pipefail
index=${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:-}}
count=${SLURM_ARRAY_TASK_COUNT:-${CIRI_SHARDS:-}}
if [ -z "$index" ] || [ -z "$count" ]; then
    echo "eval-shard.sh: no shard index/count: run as a Slurm array or an Indexed Job, or set JOB_COMPLETION_INDEX and CIRI_SHARDS" >&2
    exit 2
fi
: "${CIRI_OUT:?set CIRI_OUT to a directory every shard can write}"
# --resume: a shard that was preempted and restarted keeps what it had finished.
exec "${CIRI:-ciri}" eval --no-progress --resume --shard "$index/$count" --out "$CIRI_OUT/shard-$index" "$@"
