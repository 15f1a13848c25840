# Shared parts of the end-to-end tests that run the published apps on loopback (scaleout-test.sh, replicas-test.sh).
# Source it after `set -euo pipefail`, then call harness_init. It gives: say/fail/elapsed, a work folder, a
# watchdog that stops the test after a time limit, cleanup of every process started (and of hooks added with
# on_exit) however the script ends, free loopback ports, the published apps, a tiny data set + model, nginx.

# harness_init NAME LIMIT_S KEEP_VARIABLE: sets $work, $started; NAME prefixes every line.
harness_init() {
  harness_name=$1; harness_limit_s=$2; harness_keep=${3:-}
  started=$(date +%s)
  work=$(mktemp -d "/tmp/$harness_name.XXXXXX")
  pids=()
  exit_hooks=()
  trap harness_cleanup EXIT
  # Hard stop: the whole test never runs past the limit (the watchdog TERMs this script; the EXIT trap cleans up).
  trap 'echo "$harness_name: FAIL: time limit ${harness_limit_s}s reached"; echo "$harness_name test: FAIL"; exit 1' TERM
  ( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM; sleep "$harness_limit_s" & sleeper=$!; wait "$sleeper" && kill -TERM $$ ) &
  pids+=("$!")
}
say() { echo "$harness_name: $*"; }
elapsed() { echo $(( $(date +%s) - started )); }
on_exit() { exit_hooks+=("$*"); }
harness_cleanup() {
  local pid hook
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for hook in "${exit_hooks[@]}"; do eval "$hook" || true; done
  if [ -n "$harness_keep" ] && [ "${!harness_keep:-0}" = 1 ]; then say "work folder kept: $work"; else rm -rf "$work"; fi
}
fail() {
  echo "$harness_name: FAIL: $*"
  local log
  for log in "$work"/*.log "$work"/nginx/*.log; do
    [ -f "$log" ] && { echo "---- $(basename "$log") (last 15 lines)"; tail -n 15 "$log"; }
  done
  echo "$harness_name test: FAIL ($(elapsed) s)"
  exit 1
}

# A free high loopback port.
pick_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# The published apps (published here when missing): sets $publish and $cli.
ensure_published() {
  publish=${PUBLISH_DIR:-artifacts/publish}
  local missing=() app
  for app in retrieval-train retrieval-server retrieval; do [ -x "$publish/$app/$app" ] || missing+=("$app"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "publishing ${missing[*]} (scripts/publish.sh)"
    bash scripts/publish.sh --out "$publish" "${missing[@]}"
  fi
  publish=$(realpath "$publish")
  cli=$publish/retrieval/retrieval
}

# A tiny In-Shop style data set in $work/data and a model trained on it for one epoch: sets $model.
train_tiny_model() {
  /usr/bin/python3 scripts/make-tiny-inshop.py "$work/data" --classes 12 --per-class 6 --size 48 >/dev/null
  say "training a tiny model with the published retrieval-train ($(elapsed) s)"
  "$publish/retrieval-train/retrieval-train" --data "$work/data" --device cpu --backbone resnet-small --epochs 1 --image-size 32 \
    --embedding-size 16 --classes-per-batch 2 --images-per-class 4 --val-fraction 0.34 --output "$work/runs" --name tiny \
    > "$work/train.log" 2>&1 || fail "retrieval-train failed"
  model=$work/runs/tiny/model.onnx
  [ -f "$model" ] || fail "retrieval-train wrote no $model"
}

# wait_healthy ADDRESS WHAT [SECONDS]: until the server's gRPC health service says SERVING.
wait_healthy() {
  local deadline=$(( $(date +%s) + ${3:-120} ))
  until "$cli" health --server "$1" --timeout 2 >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$2 did not become SERVING within ${3:-120} s"
    sleep 0.5
  done
}

# start_nginx LB_PORT UPSTREAM_PORT...: nginx with the shipped docker/nginx/grpc-lb.conf (own prefix, loopback
# listeners, the given replicas as upstreams), non-daemon, logs in $work/nginx; waits until it answers health checks.
# The web listener (search page + JSON API) goes to $WEB_LB_PORT (default: a free port) and balances the replicas'
# --http-port ports listed in $WEB_UPSTREAMS (space-separated; none: the web listener answers 502).
start_nginx() {
  local lb=$1 web=${WEB_LB_PORT:-$(pick_port)} port; shift
  command -v nginx >/dev/null || bash scripts/apt-install.sh nginx
  mkdir -p "$work/nginx/conf" "$work/nginx/tmp"
  sed -e "s/^\( *\)listen 8080 http2;/\1listen 127.0.0.1:$lb http2;/" -e "s/^\( *\)listen 8081;/\1listen 127.0.0.1:$web;/" \
    docker/nginx/grpc-lb.conf > "$work/nginx/conf/grpc-lb.conf"
  grep -q "listen 127.0.0.1:$lb http2;" "$work/nginx/conf/grpc-lb.conf" && grep -q "listen 127.0.0.1:$web;" "$work/nginx/conf/grpc-lb.conf" \
    || fail "could not set the listen ports in grpc-lb.conf"
  : > "$work/nginx/conf/grpc-upstreams.conf"
  for port in "$@"; do echo "server 127.0.0.1:$port max_fails=1 fail_timeout=5s;" >> "$work/nginx/conf/grpc-upstreams.conf"; done
  : > "$work/nginx/conf/web-upstreams.conf"
  for port in ${WEB_UPSTREAMS:-}; do echo "server 127.0.0.1:$port max_fails=1 fail_timeout=5s;" >> "$work/nginx/conf/web-upstreams.conf"; done
  [ -s "$work/nginx/conf/web-upstreams.conf" ] || echo "server 127.0.0.1:1 down;" > "$work/nginx/conf/web-upstreams.conf"
  nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/conf/grpc-lb.conf" -g 'daemon off;' \
    > "$work/nginx/access.log" 2>&1 &
  pids+=("$!")
  wait_healthy "http://127.0.0.1:$lb" "nginx (port $lb)"
}
