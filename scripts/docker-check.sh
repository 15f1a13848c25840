#!/usr/bin/env bash
# Checks docker/ without a Docker engine:
#  - compose.yaml (+ compose.gpu.yaml) parse, interpolate and validate (`docker compose config`, else Debian's
#    docker-compose 1.29, which predates the top-level `name:` key, so that one line is dropped for it);
#  - the replicas share a gallery in a postgres service: pinned, health-checked, unpublished, no default password;
#  - every Dockerfile: bases pinned to a tag (never latest/untagged), a non-root USER in the final stage, the
#    apps published by scripts/publish.sh (the script `make publish` runs) and copied from its output folder;
#    the serving image has a HEALTHCHECK;
#  - docker/nginx/grpc-lb.conf passes `nginx -t`;
#  - admin calls are not exposed without a key: only nginx publishes a port, the replicas take their admin key from
#    ADMIN_KEY (none written in the file), and nginx itself — run on loopback — answers admin calls without an
#    x-api-key header with PERMISSION_DENIED while it passes read calls and keyed admin calls to the replicas.
# Installs docker-compose and nginx with apt when missing. Prints "docker-check: PASS" or FAIL lines; exit 0/1.
set -euo pipefail
cd "$(dirname "$0")/.."
failures=0
fail() { echo "docker-check: FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "docker-check: ok: $*"; }

need=()
command -v nginx >/dev/null || need+=(nginx)
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || need+=(docker-compose)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "docker-check: installing ${need[*]} (apt)"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. compose files.
compose_config() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@" config -q
  else
    local args=() f
    while [ $# -gt 0 ]; do
      f=$2; grep -v '^name:' "$f" > "docker/.check-$(basename "$f")"
      args+=(-f "docker/.check-$(basename "$f")"); shift 2
    done
    docker-compose "${args[@]}" config -q; local rc=$?
    rm -f docker/.check-*.yaml
    return $rc
  fi
}
# The gallery database's password has no default: compose refuses to run without one (checked), so the checks set it.
if (unset POSTGRES_PASSWORD; compose_config -f docker/compose.yaml) >/dev/null 2>&1; then fail "compose.yaml runs without POSTGRES_PASSWORD (a default password)"
else ok "compose.yaml refuses to start without POSTGRES_PASSWORD"; fi
export POSTGRES_PASSWORD=docker-check
if out=$(compose_config -f docker/compose.yaml 2>&1); then ok "compose.yaml is valid"; else fail "compose.yaml: $out"; fi
if out=$(compose_config -f docker/compose.yaml -f docker/compose.gpu.yaml 2>&1); then ok "compose.yaml + compose.gpu.yaml are valid"
else fail "compose.yaml + compose.gpu.yaml: $out"; fi
grep -q 'condition: service_completed_successfully' docker/compose.yaml && ok "serving waits for training to succeed" \
  || fail "compose.yaml: serving does not wait for train (service_completed_successfully)"
# The replicas share one gallery in the postgres service: pinned image, health-checked, not published, password
# from the environment only, and every replica points at it and waits for it.
service_block() { awk -v s="  $1:" '$0 == s {on=1; print; next} on && /^  [a-z]/ {on=0} on' docker/compose.yaml; }
pg=$(service_block postgres)
if [ -z "$pg" ]; then fail "compose.yaml: no postgres service (the replicas' shared gallery)"
else
  image=$(sed -n 's/^ *image: *//p' <<<"$pg")
  [[ $image == *:* && ${image##*:} != latest ]] && ok "postgres service: image $image pinned to a tag" || fail "postgres service: image '$image' is not pinned to a tag"
  grep -q 'pg_isready' <<<"$pg" && ok "postgres service: health-checked (pg_isready)" || fail "postgres service: no pg_isready healthcheck"
  grep -q '^ *ports:' <<<"$pg" && fail "postgres service: publishes a port (only the replicas should reach it)" || ok "postgres service: no published port"
  grep -q 'POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?' <<<"$pg" && ok "postgres service: password from the environment, required" \
    || fail "postgres service: POSTGRES_PASSWORD is not taken from the environment as required (\${POSTGRES_PASSWORD:?...})"
fi
grep -A3 '^    postgres:$' docker/compose.yaml | grep -q 'condition: service_healthy' && ok "serving waits for postgres to be healthy" \
  || fail "compose.yaml: serving does not wait for postgres (service_healthy)"
for replica in serve-a serve-b; do
  block=$(service_block "$replica")
  if grep -q 'RETRIEVAL_STORE: postgres://[^:@]*@postgres:' <<<"$block" && grep -q 'PGPASSWORD: \${POSTGRES_PASSWORD' <<<"$block"; then
    ok "$replica: follows the shared gallery (RETRIEVAL_STORE without a password, PGPASSWORD from the environment)"
  else fail "$replica: RETRIEVAL_STORE=postgres://user@postgres:... and PGPASSWORD=\${POSTGRES_PASSWORD} expected (no password in the URL)"; fi
done

# 2. Dockerfiles.
for df in docker/Dockerfile.*; do
  name=$(basename "$df")
  # Resolve ARG defaults used in FROM lines, then check each external base is pinned to a tag.
  declare -A defaults=()
  while read -r key value; do defaults[$key]=$value; done < <(sed -n 's/^ARG \([A-Z_]*\)=\(.*\)$/\1 \2/p' "$df")
  stages=$(sed -n 's/^FROM .* AS \([a-z-]*\)$/\1/p' "$df")
  while read -r base; do
    ref=$base
    if [[ $base =~ ^\$\{([A-Z_]+)\}$ ]]; then ref=${defaults[${BASH_REMATCH[1]}]:-}; fi
    if [[ $base == runtime-* ]] || grep -qx "$base" <<<"$stages"; then continue; fi
    if [[ -z $ref ]]; then fail "$name: FROM $base has no default"; continue; fi
    tag=${ref##*:}
    if [[ $ref != *:* || $tag == latest || $tag == "$ref" ]]; then fail "$name: base $ref is not pinned to a tag"
    else ok "$name: base $ref pinned"; fi
  done < <(sed -n 's/^FROM \([^ ]*\).*$/\1/p' "$df")
  unset defaults
  last_user=$(grep -E '^USER ' "$df" | tail -n1 | awk '{print $2}')
  if [[ -z $last_user || $last_user == root || $last_user == 0 ]]; then fail "$name: the final stage runs as root"
  else ok "$name: runs as non-root user $last_user"; fi
done
for df in docker/Dockerfile.train docker/Dockerfile.serve; do
  name=$(basename "$df")
  grep -q 'bash scripts/publish.sh' "$df" || fail "$name: does not build with scripts/publish.sh"
  grep -q 'scripts/publish.sh' mk/deploy.mk || fail "mk/deploy.mk: make publish does not run scripts/publish.sh"
  while read -r app; do
    [[ $app =~ ^(retrieval-train|retrieval-server|retrieval)$ ]] \
      && ok "$name: copies $app from artifacts/publish/$app (make publish's output)" \
      || fail "$name: copies unknown publish output '$app'"
  done < <(sed -n 's|^COPY --from=build /src/artifacts/publish/\([a-z-]*\) .*|\1|p' "$df")
  grep -q '^COPY --from=build /src/artifacts/publish/' "$df" || fail "$name: does not copy the publish output"
done
grep -q '^HEALTHCHECK' docker/Dockerfile.serve && grep -q 'retrieval.dll", "health"' docker/Dockerfile.serve \
  && ok "Dockerfile.serve: HEALTHCHECK runs retrieval health (gRPC health service)" \
  || fail "Dockerfile.serve: no gRPC HEALTHCHECK"

# 3. nginx configuration, as the scale-out test runs it (own prefix, loopback listener).
mkdir -p "$tmp/conf" "$tmp/tmp"
cp docker/nginx/grpc-lb.conf docker/nginx/grpc-upstreams.conf docker/nginx/web-upstreams.conf "$tmp/conf/"
sed -i 's/^server serve-\([ab]\):808[01]/server 127.0.0.1:1/' "$tmp/conf/grpc-upstreams.conf" "$tmp/conf/web-upstreams.conf"
if out=$(nginx -t -q -e stderr -p "$tmp" -c "$tmp/conf/grpc-lb.conf" 2>&1); then ok "nginx/grpc-lb.conf passes nginx -t"
else fail "nginx/grpc-lb.conf: $out"; fi

# 4. Admin calls (docs/serving.md "Roles and keys") are not exposed without a key.
published=$(awk '/^services:/ {in_services=1; next} /^[a-z]/ {in_services=0}
  in_services && /^  [a-z][a-z0-9-]*:/ {service=$1; sub(":", "", service)}
  in_services && /^    ports:/ {print service}' docker/compose.yaml | paste -sd' ' -)
[ "$published" = nginx ] && ok "compose.yaml: only nginx publishes a port (replicas are reached through it)" \
  || fail "compose.yaml: services publishing ports: '${published}' (expected only nginx)"
if grep -q '"--admin-key", "${ADMIN_KEY:-}"' docker/compose.yaml && ! grep -Eq -- '--admin-key", "[^$]' docker/compose.yaml; then
  ok "compose.yaml: the replicas' admin key comes from ADMIN_KEY (unset: a 0.0.0.0 server refuses admin calls)"
else fail "compose.yaml: serve must pass --admin-key \${ADMIN_KEY:-} and no literal key"; fi
if command -v curl >/dev/null && curl -V | grep HTTP2 >/dev/null; then
  port=$(( 20000 + RANDOM % 30000 ))
  sed -e "s/^\( *\)listen 8080 http2;/\1listen 127.0.0.1:$port http2;/" -e "s/^\( *\)listen 8081;/\1listen 127.0.0.1:$((port + 1));/" \
    "$tmp/conf/grpc-lb.conf" > "$tmp/conf/grpc-lb-run.conf"
  nginx -e "$tmp/error.log" -p "$tmp" -c "$tmp/conf/grpc-lb-run.conf" -g "daemon off;" >/dev/null 2>&1 &
  nginx_pid=$!
  grpc_status() { # method [key] -> the grpc-status nginx answers (14 = passed on to a replica, none up here)
    local key=()
    [ -n "${2:-}" ] && key=(-H "x-api-key: $2")
    curl -s --http2-prior-knowledge -o /dev/null -D - -X POST -H 'content-type: application/grpc' -H 'te: trailers' \
      "${key[@]}" --data-binary '' "http://127.0.0.1:$port/retrieval.v1.Retrieval/$1" | tr -d '\r' | sed -n 's/^grpc-status: //p' | head -n1 || true
  }
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  for method in UpsertItems DeleteItems ReloadModel UpsertVectors; do
    got=$(grpc_status "$method")
    [ "$got" = 7 ] && ok "nginx: $method without x-api-key is refused (PERMISSION_DENIED)" \
      || fail "nginx: $method without x-api-key answered grpc-status '${got}', expected 7"
  done
  got=$(grpc_status UpsertItems some-key)
  [ "$got" = 14 ] && ok "nginx: a keyed admin call is passed to the replicas, which check the key" \
    || fail "nginx: a keyed UpsertItems answered grpc-status '${got}', expected 14 (passed on)"
  got=$(grpc_status Search)
  [ "$got" = 14 ] && ok "nginx: read calls pass without a key" || fail "nginx: Search answered grpc-status '${got}', expected 14 (passed on)"
  kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true
else fail "curl with HTTP/2 is needed to check nginx's admin rule"; fi

if [ "$failures" -eq 0 ]; then echo "docker-check: PASS"; else echo "docker-check: FAIL ($failures problem(s))"; exit 1; fi
