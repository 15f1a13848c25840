# Offline evaluation of an exported model over the query/gallery split of $(DATA_DIR).
EVAL_BATCH ?= 64
EVAL_EF    ?= 128

.PHONY: eval
eval: ## Evaluate $(RUN_DIR)/model.onnx on $(DATA_DIR) (In-Shop, CUB, SOP or ours; exact + HNSW) -> $(RUN_DIR)/eval.json, eval.md, eval-grid.png, eval-recall-at-k.png
	@test -f $(RUN_DIR)/model.onnx || { echo "$(RUN_DIR)/model.onnx not found: run 'make train' first (RUN=$(RUN))" >&2; exit 2; }
	@$(MAKE) --no-print-directory data-ready
	$(DOTNET) build serve/Retrieval.Cli -c $(CONFIG) --nologo -v quiet
	$(RETRIEVAL_CLI) eval --model $(RUN_DIR)/model.onnx --data $(DATA_DIR) \
	  --batch $(EVAL_BATCH) --ef $(EVAL_EF)
