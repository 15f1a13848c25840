#!/usr/bin/env bash
# The Debian packages the tests need, installed by `make deps` (apt-get via scripts/apt-install.sh, as root or with
# sudo; idempotent, quiet when all are present). `make test` only checks them (--check): one line naming the missing
# ones and `make deps`, exit 1 — it never installs anything. Other targets (make data, bench-index, docker-check,
# test-scaleout, the replicas test) install what they need themselves.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
apt_pkgs=(python3-onnx python3-numpy jq chromium)   # ONNX checker; results tables; the search page's browser test
pg_pkgs=(postgresql)   # the shared-gallery tests (pg-cluster.sh install: the server and its client, without a default cluster)
missing=()
for p in "${apt_pkgs[@]}" "${pg_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = --check ]; then
  echo "make test needs the Debian package(s) ${missing[*]}: run 'make deps' first (installs them with apt-get)" >&2
  exit 1
fi
bash "$here/apt-install.sh" "${apt_pkgs[@]}"
bash "$here/pg-cluster.sh" install
