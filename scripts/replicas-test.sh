#!/usr/bin/env bash
# Replica test (issue 15): two retrieval-server replicas sharing one gallery in PostgreSQL, behind nginx, on loopback.
# Starts Debian's PostgreSQL in a temporary folder (scripts/pg-cluster.sh: installed when missing, run as an
# unprivileged user, 127.0.0.1 and a free port), then checks, with the published apps:
#   1. the first replica seeds the empty database from --data; the second (via $RETRIEVAL_STORE) catches up;
#   2. upserts sent through nginx land on both replicas;
#   3. a SIGKILLed replica misses upserts and deletes, and catches up from its sequence when restarted;
#   4. with PostgreSQL stopped, searches through nginx are still answered and writes are refused at once with
#      UNAVAILABLE; once it is back, the replicas resume following and writes work again;
#   5. at the end both replicas return identical neighbours (exact search) for every probe image, their item
#      counts and applied sequences equal the database's (GetInfo and /metrics); the database password is in no log.
# Bounded in time; stops and removes everything it started.
#
#   scripts/replicas-test.sh        (make test-replicas)   env: REPLICAS_KEEP=1 keeps the work folder
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/harness.sh
harness_init replicas "${REPLICAS_LIMIT_S:-600}" REPLICAS_KEEP
command -v jq >/dev/null || bash scripts/apt-install.sh jq

lb_port=$(pick_port); r1_port=$(pick_port); r2_port=$(pick_port); m1_port=$(pick_port); m2_port=$(pick_port)
admin_key=$(head -c 12 /dev/urandom | base64 | tr '+/' 'xy')
export RETRIEVAL_API_KEY=$admin_key

# 1. PostgreSQL, the apps, a tiny data set and model.
pg=$work/pg
chmod 711 "$work"   # the server runs as the unprivileged 'postgres' user when this runs as root: let it reach $pg
on_exit bash scripts/pg-cluster.sh destroy "$pg"
say "starting PostgreSQL (scripts/pg-cluster.sh) ($(elapsed) s)"
url=$(bash scripts/pg-cluster.sh start "$pg") || fail "could not start PostgreSQL"
password=$(cat "$pg/password")
sql() { bash scripts/pg-cluster.sh psql "$pg" -qAtc "$1"; }
ensure_published
train_tiny_model

declare -A replica_pid
start_replica() { # number: replica 1 gets --store, replica 2 the environment variable
  local port=$r1_port metrics=$m1_port store=(--store "$url")
  if [ "$1" = 2 ]; then port=$r2_port; metrics=$m2_port; store=(); fi
  env $([ "$1" = 2 ] && echo "RETRIEVAL_STORE=$url") "$publish/retrieval-server/retrieval-server" --model "$model" --data "$work/data" \
    --index "$work/replica$1-gallery" --port "$port" --metrics-port "$metrics" --admin-key "$admin_key" "${store[@]}" \
    >> "$work/replica$1.log" 2>&1 &
  replica_pid[$1]=$!
  pids+=("$!")
}
port_of() { [ "$1" = 1 ] && echo "$r1_port" || echo "$r2_port"; }
info() { "$cli" info --server "http://127.0.0.1:$(port_of "$1")" --max-attempts 1 --timeout 5; }
# Until replica N has applied the database's newest change and holds as many items as the database.
wait_caught_up() { # replica what
  local deadline=$(( $(date +%s) + 60 )) head count json
  while :; do
    head=$(sql "SELECT sequence FROM gallery_state"); count=$(sql "SELECT count(*) FROM gallery_items WHERE NOT deleted")
    json=$(info "$1" 2>/dev/null || echo '{}')
    [ "$(jq -r '.replication.applied_sequence // -1' <<<"$json")" = "$head" ] && [ "$(jq -r '.index_size // -1' <<<"$json")" = "$count" ] \
      && [ "$(jq -r '.replication.lag // -1' <<<"$json")" = 0 ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || fail "replica $1 did not catch up ($2): database head $head, $count items; replica: $json"
    sleep 0.2
  done
}
through_nginx() { echo "http://127.0.0.1:$lb_port"; }
# upsert_range FIRST COUNT [CLI OPTION...]: train-split images as items FIRST.. (label = their product id), through nginx.
upsert_range() {
  grep ' train$' "$work/data/list_eval_partition.txt" | head -n $(( $2 )) \
    | awk -v first="$1" '{ printf "%d\t%s\t%s\n", first + NR - 1, $2, $1 }' > "$work/upsert-$1.tsv"
  "$cli" upsert --server "$(through_nginx)" --list "$work/upsert-$1.tsv" --data "$work/data" --batch 4 "${@:3}" >> "$work/writes.log" 2>&1
}

start_replica 1
wait_healthy "http://127.0.0.1:$r1_port" "replica 1 (port $r1_port)"
[ "$(sql "SELECT count(*) FROM gallery_items WHERE NOT deleted")" -gt 0 ] || fail "replica 1 did not seed the empty database from --data"
start_replica 2
wait_healthy "http://127.0.0.1:$r2_port" "replica 2 (port $r2_port)"
wait_caught_up 2 "initial catch-up"
say "replicas SERVING; database seeded with $(sql "SELECT count(*) FROM gallery_items") items by replica 1, replica 2 caught up ($(elapsed) s)"
start_nginx "$lb_port" "$r1_port" "$r2_port"

# 2. Upserts through nginx reach both replicas.
upsert_range 1000 12 || fail "upsert through nginx failed"
wait_caught_up 1 "after upserts through nginx"; wait_caught_up 2 "after upserts through nginx"
say "12 upserts through nginx applied on both replicas (sequence $(sql "SELECT sequence FROM gallery_state")) ($(elapsed) s)"

# 3. A replica that was down catches up after its restart.
before=$(jq -r '.replication.applied_sequence' <<<"$(info 2)")
kill -KILL "${replica_pid[2]}"; { wait "${replica_pid[2]}"; } 2>/dev/null || true
upsert_range 2000 10 || fail "upsert through nginx with replica 2 down failed"
"$cli" delete --server "$(through_nginx)" 1000 1001 1002 2000 2001 >> "$work/writes.log" 2>&1 || fail "delete through nginx failed"
upsert_range 1001 1 || fail "re-upsert of a deleted item failed"
wait_caught_up 1 "while replica 2 is down"
missed=$(( $(sql "SELECT sequence FROM gallery_state") - before ))
start_replica 2
wait_healthy "http://127.0.0.1:$r2_port" "replica 2 after its restart"
wait_caught_up 2 "after its restart"
grep -q "from sequence" "$work/replica2.log" || fail "replica 2 did not report where it resumed following"
say "replica 2 killed, $missed changes made without it, restarted: caught up ($(elapsed) s)"

# 4. PostgreSQL down: reads go on, writes are refused cleanly; then it comes back.
bash scripts/pg-cluster.sh stop "$pg"
"$cli" loadtest --server "$(through_nginx)" --images "$work/data/img" --count 40 --concurrency 4 --k 5 --timeout 10 \
  > "$work/loadtest-db-down.log" 2>&1 || fail "searches through nginx failed while PostgreSQL was down"
t0=$(date +%s%N); info 1 >/dev/null; cli_ms=$(( ($(date +%s%N) - t0) / 1000000 ))   # what a CLI call costs anyway
t0=$(date +%s%N)
if upsert_range 3000 1 --max-attempts 1; then fail "an upsert was acknowledged while PostgreSQL was down"; fi
refused_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
tail -n 1 "$work/writes.log" | grep -q "Unavailable: .*unavailable.*nothing was written" || fail "the refused write did not say UNAVAILABLE clearly: $(tail -n 1 "$work/writes.log")"
[ "$(jq -r .replication.connected <<<"$(info 1)")" = false ] || fail "replica 1 did not report the lost database in GetInfo"
say "PostgreSQL stopped: 40/40 searches answered, upsert refused with UNAVAILABLE in ${refused_ms} ms (one attempt, incl. the CLI's start; a GetInfo call takes ${cli_ms} ms) ($(elapsed) s)"
bash scripts/pg-cluster.sh start "$pg" >/dev/null
upsert_range 3000 4 || fail "upsert after PostgreSQL came back failed"
wait_caught_up 1 "after PostgreSQL came back"; wait_caught_up 2 "after PostgreSQL came back"
say "PostgreSQL back: writes accepted and followed by both replicas ($(elapsed) s)"

# 5. Both replicas answer the same, and agree with the database.
probes=0
while read -r image _ split; do
  [ "$split" = query ] || continue
  a=$("$cli" query --server "http://127.0.0.1:$r1_port" --exact -k 10 --json "$work/data/$image") || fail "probe on replica 1 failed"
  b=$("$cli" query --server "http://127.0.0.1:$r2_port" --exact -k 10 --json "$work/data/$image") || fail "probe on replica 2 failed"
  [ "$a" = "$b" ] || fail "replicas disagree on $image: $(diff <(echo "$a") <(echo "$b") | head -n 8)"
  probes=$((probes + 1))
done < <(tail -n +3 "$work/data/list_eval_partition.txt")
count=$(sql "SELECT count(*) FROM gallery_items WHERE NOT deleted")
for r in 1 2; do [ "$(jq -r .index_size <<<"$(info $r)")" = "$count" ] || fail "replica $r holds $(jq -r .index_size <<<"$(info $r)") items, the database $count"; done
for r in 1 2; do
  metrics=$(/usr/bin/python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())" \
    "http://127.0.0.1:$([ $r = 1 ] && echo "$m1_port" || echo "$m2_port")/metrics") || fail "replica $r: /metrics unreadable"
  grep -qx 'retrieval_replication_lag 0' <<<"$metrics" && grep -qx 'retrieval_replication_connected 1' <<<"$metrics" \
    && grep -qx "retrieval_index_size $count" <<<"$metrics" || fail "replica $r: /metrics does not show lag 0, connected 1 and $count items"
done
if grep -l -- "$password" "$work"/replica*.log >/dev/null 2>&1; then fail "the database password appears in a replica log"; fi
echo "replicas test: PASS (2 replicas + PostgreSQL behind nginx: $count items, sequence $(sql "SELECT sequence FROM gallery_state"); $probes probes identical; replica 2 caught up $missed missed changes; writes refused in ${refused_ms} ms with the database down; $(elapsed) s)"
