#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks: Debian's PostgreSQL (installed with apt when missing,
# without a default cluster), initdb in a folder of our own, listening on 127.0.0.1 only, on a free high port, with
# a random password for TCP (scram-sha-256). When run as root the server runs as the unprivileged 'postgres' user
# (PostgreSQL refuses to run as root), so the folder must be reachable by it (use one under /tmp).
#
#   scripts/pg-cluster.sh start DIR     create (first time) and start; prints the connection URL (also in DIR/url)
#   scripts/pg-cluster.sh stop DIR      stop (fast shutdown); the data stays, `start` brings it back on the same port
#   scripts/pg-cluster.sh kill DIR      SIGKILL the server (crash test); `start` recovers from its WAL
#   scripts/pg-cluster.sh status DIR    exit 0 when running
#   scripts/pg-cluster.sh psql DIR ...  psql as the cluster's superuser on database 'retrieval'
#   scripts/pg-cluster.sh destroy DIR   stop and remove DIR (only a folder this script created)
#   scripts/pg-cluster.sh install       only install the Debian packages (make deps); start does it too when missing
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/harness.sh"   # pick_port
marker=.retrieval-pg-cluster
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && { [ -n "$dir" ] || [ "$cmd" = install ]; } || { sed -n '2,14s/^# \{0,1\}//p' "$0" >&2; exit 2; }
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}
ensure_installed() {
  local b; b=$(bindir) && [ -x "$b/psql" ] && return 0
  # No "main" cluster: the package would otherwise create and start one on port 5432.
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = off" | $sudo tee /etc/postgresql-common/createcluster.d/retrieval-no-main.conf >/dev/null
  bash "$here/apt-install.sh" postgresql postgresql-client
  bindir >/dev/null || { echo "pg-cluster: PostgreSQL installed but no initdb under /usr/lib/postgresql" >&2; exit 1; }
}
# Runs a PostgreSQL program as the cluster's owner (the 'postgres' user when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# A process that exists and is not a zombie (a killed postmaster whose parent never reaps it would otherwise look alive).
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]; }
postmaster() { head -n1 "$dir/data/postmaster.pid" 2>/dev/null; }
running() { local pid; pid=$(postmaster) && [ -n "$pid" ] && alive "$pid"; }
url() { echo "postgres://retrieval:$(cat "$dir/password")@127.0.0.1:$(cat "$dir/port")/retrieval"; }

create() {
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "pg-cluster: $dir exists and is not empty; refusing to initialise a cluster there" >&2; exit 1
  fi
  mkdir -p "$dir/run"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
    rmdir "$dir/run" 2>/dev/null || true
    echo "pg-cluster: the 'postgres' user cannot reach $(dirname "$dir") (the server runs as that user): use a folder whose parents it can enter, e.g. under /tmp" >&2; exit 1
  fi
  touch "$dir/$marker"
  head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$dir/password"
  chmod 600 "$dir/password"
  [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || { echo "pg-cluster: no 'postgres' user to run the server as" >&2; exit 1; }; chown -R postgres "$dir"; }
  as_owner "$(bindir)/initdb" -D "$dir/data" -U retrieval --pwfile="$dir/password" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
}
start() {
  ensure_installed
  [ -f "$dir/$marker" ] || create
  running && { url; return; }
  # Left by a killed server (its pid is gone or a zombie): PostgreSQL would take them for a live one's.
  rm -f "$dir/data/postmaster.pid" "$dir"/run/.s.PGSQL.*
  local attempt port
  for attempt in 1 2 3; do
    port=$(cat "$dir/port" 2>/dev/null || pick_port)
    if as_owner "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/run" start >/dev/null; then
      echo "$port" > "$dir/port"
      break
    fi
    rm -f "$dir/port"   # taken meanwhile: another port
    [ "$attempt" -lt 3 ] || { tail -n 20 "$dir/postgres.log" >&2; exit 1; }
  done
  as_owner "$(bindir)/psql" -h "$dir/run" -p "$port" -U retrieval -d postgres -qAtc \
    "SELECT 1 FROM pg_database WHERE datname = 'retrieval'" | grep -q 1 \
    || as_owner "$(bindir)/psql" -h "$dir/run" -p "$port" -U retrieval -d postgres -qc "CREATE DATABASE retrieval" >/dev/null
  url | tee "$dir/url"
}

case $cmd in
  start) start ;;
  install) ensure_installed ;;
  stop) [ -f "$dir/$marker" ] && running && as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; true ;;
  kill)
    running || { echo "pg-cluster: not running" >&2; exit 1; }
    pid=$(postmaster); kill -KILL "$pid"
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    # Its backends notice the postmaster's death and exit on their own; wait for them too.
    for _ in $(seq 100); do
      live=0; for child in $(pgrep -P "$pid" || true); do alive "$child" && live=1; done
      [ "$live" -eq 0 ] && break; sleep 0.1
    done ;;
  status) running ;;
  psql)
    shift 2
    as_owner "$(bindir)/psql" -h "$dir/run" -p "$(cat "$dir/port")" -U retrieval -d retrieval -v ON_ERROR_STOP=1 "$@" ;;
  destroy)
    [ -e "$dir" ] || exit 0
    [ -f "$dir/$marker" ] || { echo "pg-cluster: $dir was not created by this script; not removing it" >&2; exit 1; }
    running && as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" ;;
  *) echo "pg-cluster: unknown command '$cmd' (start, stop, kill, status, psql, destroy, install)" >&2; exit 2 ;;
esac
