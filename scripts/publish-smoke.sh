#!/usr/bin/env bash
# Proves the published apps start from their publish folders: TorchSharp's native libraries (libtorch and the
# patched libLibTorchSharp.so) load from artifacts/publish/retrieval-train and compute a known value,
# retrieval-train / retrieval print --help, and retrieval-server carries its runtime reference and ONNX Runtime.
#
#   scripts/publish-smoke.sh [PUBLISH_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-artifacts/publish}")
fail() { echo "publish-smoke: FAIL: $*" >&2; exit 1; }

train=$dir/retrieval-train
[ -f "$train/TorchSharp.dll" ] || fail "$train/TorchSharp.dll is missing (run make publish)"
[ -f "$train/libLibTorchSharp.so" ] || fail "$train/libLibTorchSharp.so is missing"
if ldd "$train/libLibTorchSharp.so" 2>&1 | grep -v 'weak version' | grep -q 'not found'; then
  ldd "$train/libLibTorchSharp.so" | grep 'not found' >&2
  fail "libLibTorchSharp.so in the publish output has unresolved (non-weak) dependencies"
fi

# Load TorchSharp.dll from the publish folder (its natives resolve beside it) and compute sum(0..5) = 15.
script=$(mktemp --suffix=.fsx)
trap 'rm -f "$script"' EXIT
cat > "$script" <<FSX
#r "$train/TorchSharp.dll"
open TorchSharp
let t = torch.arange(6L).reshape(2L, 3L).to_type(torch.ScalarType.Float32)
printfn "torch-sum=%g" (t.sum().item<float32>())
FSX
out=$(timeout 300 "${DOTNET:-dotnet}" fsi --quiet --exec "$script" 2>&1) || fail "TorchSharp did not load from $train: $out"
grep -q '^torch-sum=15$' <<<"$out" || fail "TorchSharp from $train computed '$out', expected torch-sum=15"
echo "publish-smoke: TorchSharp loads from $train (libtorch computed sum 0..5 = 15)"

for app in retrieval-train retrieval; do
  exe=$dir/$app/$app
  [ -x "$exe" ] || fail "$exe is missing or not executable"
  # --help runs the app's entry point without touching data; a missing dependency fails here.
  if ! help=$(timeout 120 "$exe" --help 2>&1); then fail "$app --help failed: $help"; fi
  echo "publish-smoke: $app starts ($(wc -l <<<"$help") lines of --help)"
done

# The server has no side-effect-free mode; check its framework reference and ONNX Runtime's native library
# (scripts/scaleout-test.sh runs the published server for real).
server=$dir/retrieval-server
[ -x "$server/retrieval-server" ] || fail "$server/retrieval-server is missing or not executable"
grep -q '"Microsoft.AspNetCore.App"' "$server/retrieval-server.runtimeconfig.json" || fail "retrieval-server does not reference the ASP.NET Core runtime"
for app in retrieval-server retrieval; do
  [ -f "$dir/$app/libonnxruntime.so" ] || fail "$dir/$app/libonnxruntime.so is missing"
done
echo "publish-smoke: retrieval-server and retrieval carry libonnxruntime.so; retrieval-server targets Microsoft.AspNetCore.App"
