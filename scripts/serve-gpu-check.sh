#!/usr/bin/env bash
# The GPU build of the server, end to end: publishes retrieval-server with Microsoft.ML.OnnxRuntime.Gpu
# (-p:OrtBackend=gpu, its own build folder under artifacts/gpu-check so the CPU build is untouched), starts it on a
# tiny generated model on loopback, and reads the one line saying which execution provider runs the model. With a
# usable NVIDIA GPU (nvidia-smi) it must be CUDA; without one it must fall back to the CPU, say why, and serve.
#
#   scripts/serve-gpu-check.sh            (make serve-gpu-check)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet=${DOTNET:-dotnet}
out=artifacts/gpu-check
work=$(mktemp -d /tmp/serve-gpu-check.XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
say() { echo "serve-gpu-check: $*"; }

bash scripts/install-deps.sh
bash scripts/gpu-packages-check.sh --torch cpu --ort gpu
say "publishing retrieval-server with OrtBackend=gpu -> $out/retrieval-server"
rm -rf "$out/retrieval-server"
"$dotnet" publish serve/Retrieval.Serve -c Release -r linux-x64 --self-contained false -p:OrtBackend=gpu \
  --artifacts-path "$out/build" -o "$out/retrieval-server" --nologo -v q -clp:NoSummary
ls "$out/retrieval-server"/libonnxruntime_providers_cuda.so >/dev/null 2>&1 \
  || { say "FAIL: the GPU publish carries no libonnxruntime_providers_cuda.so"; exit 1; }

/usr/bin/python3 scripts/make-tiny-model.py "$work/model.onnx"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$out/retrieval-server/retrieval-server" --model "$work/model.onnx" --index "$work/gallery" --port "$port" \
  --metrics-port 0 > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  grep -q "Serving: model" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; say "FAIL: the server exited"; exit 1; }
  sleep 0.1
done
grep -q "Serving: model" "$work/server.log" || { cat "$work/server.log"; say "FAIL: not serving after 60 s"; exit 1; }
line=$(grep -o "ONNX Runtime: .*execution provider.*" "$work/server.log" | head -n1)
say "$line"
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  [[ $line == *"CUDA execution provider"* ]] || { say "FAIL: a GPU is present but the server runs on the CPU"; exit 1; }
  say "PASS: the GPU build serves on CUDA"
else
  [[ $line == *"CPU execution provider"*"CUDA unavailable"* ]] \
    || { say "FAIL: without a GPU the server must fall back to the CPU and say why"; exit 1; }
  say "PASS: no GPU here; the GPU build fell back to the CPU, said why, and serves"
fi
