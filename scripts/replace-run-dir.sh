#!/usr/bin/env bash
# Clears a run directory for a fresh `make train` / `make results-losses` run: removes DIR only when it carries
# retrieval-train's marker (.retrieval-run, written by RunDirectory when it creates a run). A folder without it
# was not made by retrieval-train and is never deleted: that is an error naming it.
set -euo pipefail
dir="${1:?usage: replace-run-dir.sh <run-dir>}"
marker=.retrieval-run
[[ -e "$dir" || -L "$dir" ]] || exit 0
if [[ -L "$dir" || ! -d "$dir" ]]; then
  echo "refusing to replace $dir: it is not a run directory made by retrieval-train (not a plain folder)" >&2; exit 2
fi
if [[ ! -f "$dir/$marker" ]]; then
  echo "refusing to replace $dir: it was not made by retrieval-train (no $marker); choose another RUN/RUN_DIR or remove it yourself" >&2; exit 2
fi
rm -rf -- "$dir"
