# Backbones, ONNX export and ONNX Runtime inference.
.PHONY: bench-export
bench-export: ## ONNX Runtime vs TorchSharp embeddings/s (batch 1 and 32, same run) -> artifacts/bench/export.json
	$(DOTNET) run --project bench/Retrieval.Bench -c $(CONFIG) -- export --json artifacts/bench/export.json
