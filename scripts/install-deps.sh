#!/usr/bin/env bash
# The Debian packages the tests need, installed by `make deps` (apt-get; as root or with sudo; idempotent, quiet when
# all are present). `make test` only checks them (--check): one line naming the missing ones and `make deps`, exit 1.
# Other targets (make data, bench-index, docker-check, test-scaleout) install what they need themselves.
set -euo pipefail
pkgs=(python3-onnx python3-numpy jq)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${1:-}" = --check ]; then
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "make test needs the Debian package(s) ${missing[*]}: run 'make deps' first (installs them with apt-get)" >&2
  exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
