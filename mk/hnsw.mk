# HNSW index benchmark against hnswlib (issue 5).
BENCH_INDEX_OUT ?= artifacts/bench/index
BENCH_INDEX_ARGS ?=
VECTORS ?=

.PHONY: bench-index
bench-index: ## HNSW vs hnswlib (same vectors, M, efC, ef): build time, recall@10, QPS 1/all threads, plot; VECTORS=gallery.npy adds embeddings
	@dpkg -s python3-hnswlib python3-numpy >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
	  echo "installing python3-hnswlib"; $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq python3-hnswlib python3-numpy >/dev/null; }
	$(DOTNET) build bench/Retrieval.Bench -c $(CONFIG)
	bench/Retrieval.Bench/bin/$(CONFIG)/net10.0/linux-x64/retrieval-bench index --out $(BENCH_INDEX_OUT) \
	  --python /usr/bin/python3 --script bench/hnswlib/bench_hnswlib.py $(if $(VECTORS),--vectors $(VECTORS)) $(BENCH_INDEX_ARGS)
