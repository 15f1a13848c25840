#!/usr/bin/env bash
# Checks that the configured NuGet feed(s) serve the packages a GPU build swaps in, before a restore fails
# with a bare NU1101. Exits 3 with the missing package(s), the pinned version, the feeds searched and the CPU
# fallback; exits 0 when every needed package is found (or when the feed cannot be searched: restore decides).
#
#   scripts/gpu-packages-check.sh [--torch cpu|cuda] [--ort cpu|gpu]
set -euo pipefail
cd "$(dirname "$0")/.."
torch=cuda ort=gpu dotnet=${DOTNET:-dotnet}
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch=${2:?}; shift 2 ;;
    --ort) ort=${2:?}; shift 2 ;;
    *) echo "gpu-packages-check.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

needed=()
[ "$torch" = cuda ] && needed+=("TorchSharp-cuda-linux:TorchBackend=cuda (retrieval-train)")
[ "$ort" = gpu ] && needed+=("Microsoft.ML.OnnxRuntime.Gpu:OrtBackend=gpu (retrieval-server, retrieval)")
[ ${#needed[@]} -gt 0 ] || exit 0

pinned() { sed -n "s/.*PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" Directory.Packages.props; }

missing=() feeds=""
for entry in "${needed[@]}"; do
  id=${entry%%:*} why=${entry#*:}
  if ! json=$("$dotnet" package search "$id" --exact-match --format json 2>/dev/null); then
    echo "gpu-packages-check: could not search the NuGet feed(s) for $id; restore will decide" >&2
    continue
  fi
  # Plain-text reading of the JSON (the SDK images have no python/jq): any "id" means some feed has it.
  flat=$(tr -d ' \n' <<<"$json")
  feeds=$(grep -o '"sourceName":"[^"]*"' <<<"$flat" | cut -d'"' -f4 | paste -sd, - | sed 's/,/, /g')
  # The pinned version must be among those served: a feed may list only other releases (1.31.1 was never served).
  version=$(pinned "$id")
  served=$(grep -o '"version":"[^"]*"' <<<"$flat" | cut -d'"' -f4 | sort -uV | paste -sd' ' - || true)
  if ! grep -q '"problems":\[\]' <<<"$flat"; then state=unknown
  elif ! grep -q '"id":' <<<"$flat"; then state=missing
  elif grep -qx -- "$version" <<<"$(tr ' ' '\n' <<<"$served")"; then state=found
  else state=version; fi
  case "$state" in
    found) echo "gpu-packages-check: $id $version found ($why)" ;;
    missing) missing+=("$id $version — needed by $why") ;;
    version) missing+=("$id $version (pinned in Directory.Packages.props; the feed serves: $served) — needed by $why") ;;
    *) echo "gpu-packages-check: the feed search for $id reported a problem; restore will decide" >&2 ;;
  esac
done

if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "error: the GPU build needs NuGet package(s) that the configured feed(s) [$feeds] do not serve:"
    for m in "${missing[@]}"; do echo "  - $m"; done
    echo "Add a feed that has them (the public nuget.org publishes both) to NuGet.Config, or build for the CPU:"
    echo "  make train|serve|publish DEVICE=cpu      (or drop -p:TorchBackend=cuda / -p:OrtBackend=gpu)"
  } >&2
  exit 3
fi
