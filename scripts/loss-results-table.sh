#!/usr/bin/env bash
# Prints the Markdown table of test metrics (from each run's test-metrics.json) for `make results-losses`.
# Usage: loss-results-table.sh DATASET "TRAIN_ARGS" RUN_DIR...
set -euo pipefail
dataset=$1; args=$2; shift 2
echo "## Losses on the $dataset test split (same budget each)"
echo
echo "Reproduce: \`make results-losses${args:+ TRAIN_ARGS=\"$args\"}\` (runs each loss with the \`make train\` defaults; one run after another)."
echo
echo "| Loss | P@1 | R-Precision | MAP@R | Recall@10 | untrained MAP@R | best epoch | epochs | train time (s) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for run in "$@"; do
  f=$run/test-metrics.json
  [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
  jq -r '"| \(.loss) | \(.test.precision_at_1) | \(.test.r_precision) | \(.test.map_at_r) | \(.test.recall_at_k["10"] // "-") | \(.untrained_test.map_at_r) | \(.best_epoch) | \(.epochs_run) | \(.train_seconds|floor) |"' "$f" \
    | awk -F'|' 'BEGIN{OFS="|"} { for (i=3;i<=7;i++) if ($i ~ /^ *[0-9.]+ *$/) $i=sprintf(" %.4f ", $i); print }'
done
