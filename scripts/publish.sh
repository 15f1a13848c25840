#!/usr/bin/env bash
# The one publish recipe: `make publish` and docker/Dockerfile.{train,serve} all run this script, so the
# images are built by exactly the commands CI runs. Each app is published framework-dependent for linux-x64
# in Release into <out>/<app>/ (written to <out>/<app>.tmp first, then renamed: never a half-written folder).
#
#   scripts/publish.sh [--torch cpu|cuda] [--ort cpu|gpu] [--out DIR] [--config CONFIG] [APP...]
#
# APP: retrieval-train, retrieval-server, retrieval (default: all three).
# --torch cuda / --ort gpu swap in TorchSharp-cuda-linux / Microsoft.ML.OnnxRuntime.Gpu (see README, "GPU build").
set -euo pipefail
cd "$(dirname "$0")/.."

torch=cpu ort=cpu out=artifacts/publish config=Release dotnet=${DOTNET:-dotnet}
apps=()
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch=${2:?--torch needs cpu or cuda}; shift 2 ;;
    --ort) ort=${2:?--ort needs cpu or gpu}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --config) config=${2:?--config needs a configuration}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "publish.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) apps+=("$1"); shift ;;
  esac
done
case "$torch" in cpu|cuda) ;; *) echo "publish.sh: --torch '$torch': expected cpu or cuda" >&2; exit 2 ;; esac
case "$ort" in cpu|gpu) ;; *) echo "publish.sh: --ort '$ort': expected cpu or gpu" >&2; exit 2 ;; esac
[ ${#apps[@]} -gt 0 ] || apps=(retrieval-train retrieval-server retrieval)

project_of() {
  case "$1" in
    retrieval-train) echo train/Retrieval.Train ;;
    retrieval-server) echo serve/Retrieval.Serve ;;
    retrieval) echo serve/Retrieval.Cli ;;
    *) echo "publish.sh: unknown app '$1' (expected retrieval-train, retrieval-server or retrieval)" >&2; return 2 ;;
  esac
}

# A GPU backend needs packages the feed may not serve. Each app is checked for the packages it uses (retrieval-train:
# TorchSharp; retrieval-server and retrieval: ONNX Runtime): one the feed cannot build is skipped with the check's
# message, the others are still published, and the script then exits 3.
gpu_args() { if [ "$1" = retrieval-train ]; then echo "--torch $torch --ort cpu"; else echo "--torch cpu --ort $ort"; fi; }
skipped=()

mkdir -p "$out"
for app in "${apps[@]}"; do
  project=$(project_of "$app")
  if [ "$torch" = cuda ] || [ "$ort" = gpu ]; then
    # shellcheck disable=SC2046
    if ! bash scripts/gpu-packages-check.sh $(gpu_args "$app"); then skipped+=("$app"); continue; fi
  fi
  echo "publish: $app ($project, $config, linux-x64, TorchBackend=$torch, OrtBackend=$ort) -> $out/$app/"
  rm -rf "$out/$app.tmp"
  "$dotnet" publish "$project" -c "$config" -r linux-x64 --self-contained false \
    -p:TorchBackend="$torch" -p:OrtBackend="$ort" -o "$out/$app.tmp" --nologo -v q -clp:NoSummary
  rm -rf "$out/$app"
  mv "$out/$app.tmp" "$out/$app"
done
if [ ${#skipped[@]} -gt 0 ]; then
  echo "publish: not published, their GPU packages are not served: ${skipped[*]} (see the error above)" >&2
  exit 3
fi
