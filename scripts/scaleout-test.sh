#!/usr/bin/env bash
# Scale-out test (issue 8): two retrieval-server replicas behind nginx (docker/nginx/grpc-lb.conf) on loopback.
# Sends a fixed number of Search calls through nginx with `retrieval loadtest` (client retry on UNAVAILABLE),
# SIGKILLs one replica mid-run, and passes only when every call was answered, both replicas served calls
# before the kill and only the survivor after it. Everything runs from the publish output (artifacts/publish,
# built here when missing), on 127.0.0.1 high ports, under a time limit; it stops what it started.
#
#   scripts/scaleout-test.sh            (make test-scaleout)   env: SCALEOUT_QUERIES (300), SCALEOUT_KEEP=1 keeps the work folder
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/harness.sh
harness_init scaleout "${SCALEOUT_LIMIT_S:-420}" SCALEOUT_KEEP
queries=${SCALEOUT_QUERIES:-300}

# Free high loopback ports: the balancer, two replicas (gRPC) and their metrics ports.
lb_port=$(pick_port); r1_port=$(pick_port); r2_port=$(pick_port); m1_port=$(pick_port); m2_port=$(pick_port)
# ... and the web side: nginx's page/JSON listener and the replicas' --http-port.
web_lb_port=$(pick_port); w1_port=$(pick_port); w2_port=$(pick_port)

# 1-2. The published apps, a tiny In-Shop style dataset and a model trained on it for one epoch.
ensure_published
train_tiny_model

# 3. Two replicas, each with its own gallery folder (a folder serves one process): each builds its gallery from --data.
last_pid=
start_replica() { # name grpc-port metrics-port http-port; sets last_pid
  "$publish/retrieval-server/retrieval-server" $(server_args "$2" "$3" "$4") > "$work/$1.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}
server_args() { # grpc-port metrics-port http-port
  echo "--model $model --data $work/data --index $work/gallery-$1 --port $1 --metrics-port $2 --http-port $3"
}
start_replica replica1 "$r1_port" "$m1_port" "$w1_port"
wait_healthy "http://127.0.0.1:$r1_port" "replica 1 (port $r1_port)"
start_replica replica2 "$r2_port" "$m2_port" "$w2_port"; r2_pid=$last_pid
wait_healthy "http://127.0.0.1:$r2_port" "replica 2 (port $r2_port)"
say "replicas SERVING on 127.0.0.1:$r1_port and 127.0.0.1:$r2_port ($(elapsed) s)"

# 4. nginx with the shipped configuration: own prefix, loopback listener, the two replicas as upstreams.
WEB_LB_PORT=$web_lb_port WEB_UPSTREAMS="$w1_port $w2_port" start_nginx "$lb_port" "$r1_port" "$r2_port"
say "nginx on 127.0.0.1:$lb_port (gRPC) and 127.0.0.1:$web_lb_port (page + JSON) balancing both replicas ($(elapsed) s)"
# The page and the JSON API answer through nginx's web listener (docker/compose.yaml publishes it as 8081).
command -v curl >/dev/null || bash scripts/apt-install.sh curl
page=$(curl -sf "http://127.0.0.1:$web_lb_port/") || fail "the search page did not load through nginx's web listener"
grep -qi '<html' <<< "$page" || fail "nginx's web listener did not return the search page"
info=$(curl -sf "http://127.0.0.1:$web_lb_port/v1/info") || fail "GET /v1/info failed through nginx's web listener"
grep -q '"embeddingSize"' <<< "$info" || fail "GET /v1/info through nginx returned no model info: $info"
say "search page and GET /v1/info answered through nginx's web listener" 

# 5. The load: $queries Search calls, 4 in flight; replica 2 is killed once a third of them are done.
: > "$work/nginx/access.log"   # drop the health checks above from the tally
"$cli" loadtest --server "http://127.0.0.1:$lb_port" --images "$work/data/img" --count "$queries" --concurrency 4 \
  --k 5 --max-attempts 5 --timeout 10 --json "$work/loadtest.json" > "$work/loadtest.log" 2>&1 &
load_pid=$!
pids+=("$load_pid")
kill_at=$(( queries / 3 ))
while :; do
  done_now=$(sed -n 's/^loadtest: \([0-9]*\)\/.*/\1/p' "$work/loadtest.log" | tail -n1)
  [ "${done_now:-0}" -ge "$kill_at" ] && break
  kill -0 "$load_pid" 2>/dev/null || break
  sleep 0.05
done
kill -KILL "$r2_pid" 2>/dev/null || fail "replica 2 had already exited before the kill"
{ wait "$r2_pid"; } 2>/dev/null || true
sleep 0.2   # let nginx log the calls replica 2 finished before it died
lines_at_kill=$(wc -l < "$work/nginx/access.log")
say "killed replica 2 (SIGKILL) after ${done_now:-0}/$queries calls ($(elapsed) s)"
load_rc=0; wait "$load_pid" || load_rc=$?

# 6. Verdict.
[ -f "$work/loadtest.json" ] || fail "loadtest wrote no report (exit $load_rc)"
field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p" "$work/loadtest.json" | head -n1; }
answered=$(field answered); failed=$(field failed); retried=$(field retried); qps=$(field queries_per_second)
p95=$(field latency_p95_ms)
# Calls each replica answered (the last upstream nginx tried), before and after the kill.
served() { # from-line to-line port
  sed -n "$1,$2p" "$work/nginx/access.log" | grep 'Retrieval/Search ' | grep ' status=200 ' \
    | sed -n 's/.* upstream=\(.*\) upstream_status=.*/\1/p' | awk -F', ' '{print $NF}' | grep -c ":$3\$" || true
}
total_lines=$(wc -l < "$work/nginx/access.log")
r1_before=$(served 1 "$lines_at_kill" "$r1_port"); r2_before=$(served 1 "$lines_at_kill" "$r2_port")
r1_after=$(served $((lines_at_kill + 1)) "$total_lines" "$r1_port"); r2_after=$(served $((lines_at_kill + 1)) "$total_lines" "$r2_port")
nginx_retries=$(grep 'Retrieval/Search ' "$work/nginx/access.log" | grep -c 'upstream=[^ ]*, ' || true)

say "queries $queries: answered ${answered:-?}, failed ${failed:-?}; client retries ${retried:-?}, nginx re-sends $nginx_retries"
say "answered by replica 1 / replica 2: before the kill $r1_before / $r2_before, after it $r1_after / $r2_after"
say "through nginx: $(printf '%.0f' "${qps:-0}") queries/s, p95 latency $(printf '%.1f' "${p95:-0}") ms (4 in flight)"
[ "$load_rc" -eq 0 ] || fail "loadtest exited $load_rc"
[ "${answered:-0}" -eq "$queries" ] && [ "${failed:-1}" -eq 0 ] || fail "not every query was answered"
[ "$r1_before" -gt 0 ] && [ "$r2_before" -gt 0 ] || fail "nginx did not spread calls over both replicas before the kill"
[ "$r2_after" -eq 0 ] || fail "replica 2 answered calls after it was killed"
[ "$r1_after" -gt 0 ] || fail "replica 1 answered nothing after the kill"
echo "scale-out test: PASS ($queries/$queries answered through nginx with one of two replicas killed mid-run; $(elapsed) s)"
