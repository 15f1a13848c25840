#!/usr/bin/env bash
# Installs the Debian packages the build, tests and benchmarks need. Idempotent; quiet when all are present.
#   scripts/install-deps.sh              the packages make test needs
#   scripts/install-deps.sh PACKAGE...   those packages instead (targets that need more, e.g. bench-index)
# Other engineers' apt runs may hold the dpkg lock: apt waits for it (DPkg::Lock::Timeout) rather than failing.
set -euo pipefail
if [ $# -gt 0 ]; then pkgs=("$@"); else pkgs=(python3-onnx python3-numpy jq); fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300)
echo "installing: ${missing[*]}"
"${apt[@]}" update
"${apt[@]}" install -y "${missing[@]}" >/dev/null
