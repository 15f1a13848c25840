#!/usr/bin/env bash
# make bench-replicas: a throw-away PostgreSQL (scripts/pg-cluster.sh, fsync on, defaults otherwise) and
# `retrieval-bench replicas` against it: two replicas sharing the gallery plus an embedded-store server as the peer.
# Removes the cluster afterwards. Extra arguments go to the benchmark (e.g. --seconds 30 --clients 8).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH_BIN:-bench/Retrieval.Bench/bin/Release/net10.0/linux-x64/retrieval-bench}
dir=$(mktemp -d /tmp/bench-replicas.XXXXXX)
chmod 711 "$dir"   # the server runs as the unprivileged 'postgres' user when this runs as root
trap 'bash scripts/pg-cluster.sh destroy "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
bash scripts/pg-cluster.sh start "$dir/pg" >/dev/null
store="Host=127.0.0.1;Port=$(cat "$dir/pg/port");Username=retrieval;Password=$(cat "$dir/pg/password");Database=retrieval"
echo "machine: $(nproc) cores; uptime: $(uptime)"
"$bench" replicas --store "$store" "$@"
echo "uptime after: $(uptime)"
