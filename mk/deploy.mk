# Deployment: publish, GPU build switches, Docker files, nginx scale-out test (docs/deployment.md).
PUBLISH_DIR ?= artifacts/publish

# GPU build switches. DEVICE=cuda swaps TorchSharp-cuda-linux and Microsoft.ML.OnnxRuntime.Gpu in: every
# `dotnet build/run/publish` of a make target passes $(GPU_PROPS). Any other DEVICE builds for the CPU.
ifeq ($(DEVICE),cuda)
TORCH_BACKEND := cuda
ORT_BACKEND   := gpu
else
TORCH_BACKEND := cpu
ORT_BACKEND   := cpu
endif
GPU_PROPS := -p:TorchBackend=$(TORCH_BACKEND) -p:OrtBackend=$(ORT_BACKEND)

# With DEVICE=cuda, the build targets first check that the feed serves the GPU package they need (clear error and
# the CPU fallback instead of a bare NU1101). make publish checks inside scripts/publish.sh.
ifeq ($(DEVICE),cuda)
train-build: gpu-check-torch
serve: gpu-check-ort
endif

.PHONY: publish publish-smoke gpu-check gpu-check-torch gpu-check-ort serve-gpu-check docker-check test-scaleout

publish: ## Publish retrieval-train, retrieval-server, retrieval (Release, linux-x64) to $(PUBLISH_DIR)/<app>/ and smoke-test them
	@DOTNET=$(DOTNET) bash scripts/publish.sh --torch $(TORCH_BACKEND) --ort $(ORT_BACKEND) --config $(CONFIG) --out $(PUBLISH_DIR)
	@DOTNET=$(DOTNET) bash scripts/publish-smoke.sh $(PUBLISH_DIR)

publish-smoke: ## Check the publish output: TorchSharp loads from it, the apps start
	@DOTNET=$(DOTNET) bash scripts/publish-smoke.sh $(PUBLISH_DIR)

gpu-check: ## Check the NuGet feed serves the GPU packages (TorchSharp-cuda-linux, Microsoft.ML.OnnxRuntime.Gpu)
	@DOTNET=$(DOTNET) bash scripts/gpu-packages-check.sh --torch cuda --ort gpu

gpu-check-torch: ## Check the NuGet feed serves TorchSharp-cuda-linux (run by make train DEVICE=cuda)
	@DOTNET=$(DOTNET) bash scripts/gpu-packages-check.sh --torch cuda --ort cpu

gpu-check-ort: ## Check the NuGet feed serves Microsoft.ML.OnnxRuntime.Gpu (run by make serve DEVICE=cuda)
	@DOTNET=$(DOTNET) bash scripts/gpu-packages-check.sh --torch cpu --ort gpu

serve-gpu-check: ## Publish retrieval-server with ONNX Runtime GPU and start it: CUDA on a GPU machine, else the CPU fallback line
	@DOTNET=$(DOTNET) bash scripts/serve-gpu-check.sh

docker-check: ## Validate docker/ without an engine: compose config, pinned bases, non-root, publish reuse, nginx -t
	@bash scripts/docker-check.sh

test-scaleout: ## Two retrieval-server replicas + nginx on loopback; kill one mid-run; every query must be answered
	@bash scripts/scaleout-test.sh

.PHONY: test-replicas
test-replicas: ## Two replicas sharing a gallery in PostgreSQL behind nginx: writes via nginx, a replica killed and caught up, the database stopped
	@bash scripts/replicas-test.sh
