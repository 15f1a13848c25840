# Benchmarks: each prints a table and writes JSON under artifacts/bench/ (numbers in docs/results.md).

# HNSW index benchmark: ours against hnswlib compiled for this CPU, Debian's python3-hnswlib and USearch.
BENCH_INDEX_OUT  ?= artifacts/bench/index
BENCH_INDEX_ARGS ?=
BENCH_INDEX_PLOT ?= docs/results/hnsw-recall-qps.png
HNSWLIB_NATIVE   := artifacts/bench/hnswlib-native
INDEX_BENCH_PKGS := python3-hnswlib python3-numpy libhnswlib-dev dataset-fashion-mnist g++
VECTORS ?=
LARGE   ?= 0

$(HNSWLIB_NATIVE): bench/hnswlib/hnswlib_native.cpp
	@mkdir -p $(dir $@)
	g++ -O3 -march=native -std=c++17 -pthread -o $@ $<

.PHONY: bench-index-deps bench-index
bench-index-deps:
	@bash scripts/apt-install.sh $(INDEX_BENCH_PKGS)

bench-index: bench-index-deps ## Index vs hnswlib (native -march=native, python) and USearch on fashion-mnist-784 and 200k clustered: QPS at recall 0.90/0.95/0.99, build/save/load, bytes/vector; VECTORS=gallery.npy, LARGE=1000000 add sets
	$(MAKE) $(HNSWLIB_NATIVE)
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	@echo "load average before: $$(cut -d' ' -f1-3 /proc/loadavg)"
	$(BENCH_BIN) index --out $(BENCH_INDEX_OUT) --native $(HNSWLIB_NATIVE) --python /usr/bin/python3 --script bench/hnswlib/bench_hnswlib.py \
	  --plot $(BENCH_INDEX_PLOT) $(if $(VECTORS),--vectors $(VECTORS)) --large $(LARGE) $(BENCH_INDEX_ARGS)
	@echo "load average after: $$(cut -d' ' -f1-3 /proc/loadavg)"

# Loss micro-benchmark.
LOSSES_BENCH_JSON ?= artifacts/bench/losses.json

.PHONY: bench-losses
bench-losses: ## Loss forward+backward cost vs batch size and classes, and dense (reference) vs our MFCWMS at C=10,000
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	$(BENCH_BIN) losses --json $(LOSSES_BENCH_JSON)

# ONNX export: ONNX Runtime vs TorchSharp.
.PHONY: bench-export
bench-export: ## ONNX Runtime vs TorchSharp embeddings/s (batch 1 and 32, same run) -> artifacts/bench/export.json
	$(DOTNET) run --project bench/Retrieval.Bench -c $(CONFIG) -- export --json artifacts/bench/export.json

# gRPC load.
CLIENTS ?= 16
SECONDS ?= 10
.PHONY: bench-load
LOAD_SOURCE = $(if $(wildcard $(RUN_DIR)/model.onnx),--model $(RUN_DIR)/model.onnx --data $(DATA_DIR),--synthetic 1000)

bench-load: ## gRPC load benchmark (CLIENTS, SECONDS), micro-batching off vs on -> artifacts/bench/load.json (synthetic run if no $(RUN_DIR)/model.onnx)
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG)
	$(DOTNET) run --project bench/Retrieval.Bench -c $(CONFIG) -- load $(LOAD_SOURCE) \
	  --server-exe $(SERVER_EXE) --clients $(CLIENTS) --seconds $(SECONDS) --json artifacts/bench/load.json

# Durable gallery: this design vs the previous single-file one, through the real server.
GALLERY_COUNTS ?= 10000,100000
BENCH_GALLERY_ARGS ?=

.PHONY: bench-gallery
bench-gallery: ## Gallery restart to SERVING, upsert p50/p99, RSS and disk per item, compaction; before vs now (GALLERY_COUNTS=10000,100000[,1000000])
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG)
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	$(BENCH_BIN) gallery --counts $(GALLERY_COUNTS) --server-exe $(SERVER_EXE) --out artifacts/bench $(BENCH_GALLERY_ARGS)

# Crash safety of the gallery: SIGKILL during upserts, deletes and compactions.
CRASH_ROUNDS ?= 20

.PHONY: crash-gallery
crash-gallery: ## SIGKILL the server CRASH_ROUNDS times (default 20) during writes and compactions; fails if an acknowledged write is lost or a batch half-present
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG)
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	$(BENCH_BIN) gallery-crash --rounds $(CRASH_ROUNDS) --server-exe $(SERVER_EXE) --json artifacts/bench/gallery-crash.json

# Training speed: retrieval-train's step vs PyTorch's own training loop (same network, batch, loss, optimiser).
BENCH_TRAIN_ARGS ?=
.PHONY: bench-train
bench-train: ## Fine-tuning images/s, TorchSharp vs PyTorch (Debian python3-torch), alternating rounds; trainer epoch on $(DATA_DIR) -> artifacts/bench/train.json
	@dpkg -s python3-torch python3-torchvision python3-numpy >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
	  echo "installing python3-torch python3-torchvision"; $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq python3-torch python3-torchvision python3-numpy >/dev/null; }
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG) --nologo -v quiet
	$(BENCH_BIN) train --python /usr/bin/python3 --script bench/torch/train_step.py \
	  $(if $(wildcard $(DATA_DIR)/list_eval_partition.txt),--data $(DATA_DIR)) --json artifacts/bench/train.json $(BENCH_TRAIN_ARGS)

# Abuse and faults (issue 11): the attacks a hostile client would send, against a fresh server.
.PHONY: bench-abuse
bench-abuse: ## Abuse/fault cases vs retrieval-server (k 10^9, 1x600,000 PNG, 8x40 MP, /dev/zero reload, ...): status, time, peak RSS -> artifacts/bench/abuse.json
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG)
	$(DOTNET) run --project bench/Retrieval.Bench -c $(CONFIG) -- abuse --server-exe $(SERVER_EXE) --json artifacts/bench/abuse.json

# Replicas sharing a gallery in PostgreSQL.
BENCH_REPLICAS_ARGS ?=
.PHONY: bench-replicas
bench-replicas: ## Replicas on PostgreSQL: upserts/s vs the embedded store, write-to-visible latency p50/p99, bytes/item -> artifacts/bench/replicas.json
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG)
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	BENCH_BIN=$(BENCH_BIN) bash scripts/bench-replicas.sh --server-exe $(SERVER_EXE) $(BENCH_REPLICAS_ARGS)
