#!/usr/bin/env bash
# Installs Debian packages that are missing, tolerating other apt users on the same machine: waits for the dpkg
# and list locks (DPkg::Lock::Timeout) instead of failing on "Could not get lock", and retries a few times.
# Quiet when everything is present. Needs root or sudo.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail
missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300)
echo "installing ${missing[*]} (apt)"
for attempt in 1 2 3; do
  if "${apt[@]}" update && "${apt[@]}" install -y "${missing[@]}" >/dev/null; then exit 0; fi
  echo "apt-get failed (attempt $attempt of 3); retrying in 10 s" >&2
  sleep 10
done
echo "could not install ${missing[*]} with apt-get" >&2
exit 1
