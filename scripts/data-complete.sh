#!/usr/bin/env bash
# Exit 0 when DIR holds a complete In-Shop data set: list_eval_partition.txt whose row count (line 1) equals its
# rows, a DATASET.md, and every listed image present. Used by `make data` to be a quick no-op.
set -euo pipefail
dir="${1:?usage: data-complete.sh <data-dir>}"
list="$dir/list_eval_partition.txt"
[[ -f "$list" && -f "$dir/DATASET.md" ]] || exit 1
awk 'NR==1 { n = $1 } NR > 2 && NF { rows++ } END { exit !(n > 0 && n == rows) }' "$list" || exit 1
tail -n +3 "$list" | awk -v d="$dir" 'NF { print d "/" $1 }' | while read -r f; do [[ -f "$f" ]] || exit 1; done
