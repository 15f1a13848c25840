# Serving: the gRPC retrieval server and a query against it.
SERVER_EXE  := $(call bin,serve/Retrieval.Serve)/retrieval-server
PORT        ?= 50051
METRICS_PORT ?= 9102
SERVER      ?= http://127.0.0.1:$(PORT)
K           ?= 10

.PHONY: serve query
serve: data-ready ## Serve $(RUN_DIR)/model.onnx over gRPC with the gallery of $(DATA_DIR) (In-Shop, CUB, SOP or ours) (PORT, METRICS_PORT, API_KEY)
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG) $(GPU_PROPS)
	$(SERVER_EXE) --model $(RUN_DIR)/model.onnx --data $(DATA_DIR) --index $(RUN_DIR)/gallery.idx \
	  --port $(PORT) --metrics-port $(METRICS_PORT) $(if $(API_KEY),--api-key $(API_KEY))

query: ## Query the running server: make query IMAGE=path.png [K=10] [SERVER=http://127.0.0.1:50051]
	@test -n "$(IMAGE)" || { echo "usage: make query IMAGE=path/to/image.png [K=10]"; exit 2; }
	$(DOTNET) run --project serve/Retrieval.Cli -c $(CONFIG) -- query --server $(SERVER) -k $(K) $(IMAGE)

