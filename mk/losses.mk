# Loss micro-benchmark.
LOSSES_BENCH_JSON ?= artifacts/bench/losses.json

.PHONY: bench-losses
bench-losses: ## Loss forward+backward cost vs batch size and classes, and dense (reference) vs our MFCWMS at C=10,000
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	bench/Retrieval.Bench/bin/$(CONFIG)/net10.0/linux-x64/retrieval-bench losses --json $(LOSSES_BENCH_JSON)
