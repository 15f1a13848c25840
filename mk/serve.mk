# Serving: the gRPC retrieval server and a query against it.
SERVER_EXE  := $(call bin,serve/Retrieval.Serve)/retrieval-server
PORT        ?= 50051
HTTP_PORT   ?= 8080
METRICS_PORT ?= 9102
SERVER      ?= http://127.0.0.1:$(PORT)
K           ?= 10

.PHONY: serve query
serve: data-ready ## Serve $(RUN_DIR)/model.onnx with the gallery of $(DATA_DIR) (In-Shop, CUB, SOP or ours): gRPC on PORT, search page + JSON on HTTP_PORT (METRICS_PORT, API_KEY)
	$(DOTNET) build serve/Retrieval.Serve -c $(CONFIG) $(GPU_PROPS)
	@echo "search page: http://127.0.0.1:$(HTTP_PORT)/   gRPC: 127.0.0.1:$(PORT)"
	$(SERVER_EXE) --model $(RUN_DIR)/model.onnx --data $(DATA_DIR) --index $(RUN_DIR)/gallery \
	  --port $(PORT) --http-port $(HTTP_PORT) --metrics-port $(METRICS_PORT) $(if $(API_KEY),--api-key $(API_KEY))

query: ## Query the running server: make query IMAGE=path.png [K=10] [SERVER=http://127.0.0.1:50051]
	@test -n "$(IMAGE)" || { echo "usage: make query IMAGE=path/to/image.png [K=10]"; exit 2; }
	$(DOTNET) run --project serve/Retrieval.Cli -c $(CONFIG) -- query --server $(SERVER) -k $(K) $(IMAGE)


# The search page screenshot in docs/results: the browser test run on the trained model and real data (PAGE_QUERY = any image).
# Default: the emoji set's Eritrea flag query (a row of the eval grid), else the first query of the listing.
PAGE_QUERY ?= $(firstword $(wildcard $(DATA_DIR)/img/1F1EA-1F1F7/google.png) \
  $(DATA_DIR)/$(shell awk '$$3 == "query" { print $$1; exit }' $(DATA_DIR)/list_eval_partition.txt 2>/dev/null))
.PHONY: page-screenshot
page-screenshot: deps ## Screenshot the search page on $(RUN_DIR)/model.onnx + $(DATA_DIR) in chromium -> docs/results/search-page.png (PAGE_QUERY=image)
	@test -f $(RUN_DIR)/model.onnx || { echo "$(RUN_DIR)/model.onnx not found: run 'make train' first" >&2; exit 2; }
	RETRIEVAL_PAGE_MODEL=$(abspath $(RUN_DIR)/model.onnx) RETRIEVAL_PAGE_DATA=$(abspath $(DATA_DIR)) \
	  RETRIEVAL_PAGE_QUERY=$(abspath $(PAGE_QUERY)) RETRIEVAL_SCREENSHOT=$(abspath docs/results/search-page.png) \
	  $(DOTNET) test tests/Retrieval.Serve.Tests -c $(CONFIG) --filter FullyQualifiedName~SearchPageBrowserTests

.PHONY: pictures
pictures: eval page-screenshot ## The README pictures from $(RUN_DIR): eval grid + Recall@K curve + page screenshot -> docs/results/
	cp $(RUN_DIR)/eval-grid.png docs/results/eval-grid.png
	cp $(RUN_DIR)/eval-recall-at-k.png docs/results/eval-recall-at-k.png
