# Data sets in DeepFashion In-Shop layout under data/$(DATASET) (downloads cached in .cache/data).
DATA_CACHE ?= .cache/data
# Fashion-MNIST: at most this many images per class (7000 = all 70,000 images).
FMNIST_PER_CLASS ?= 1000

.PHONY: data
data: ## Download and write data/$(DATASET) (emoji | fashion-mnist) in In-Shop layout; no-op when complete
	@if bash scripts/data-complete.sh $(DATA_DIR); then \
	  echo "$(DATA_DIR) is complete ($$(head -1 $(DATA_DIR)/list_eval_partition.txt) images); delete it to rebuild"; \
	  grep -E '^\| (train|query|gallery|total) ' $(DATA_DIR)/DATASET.md; \
	else \
	  set -e; \
	  bash scripts/fetch-data.sh $(DATASET) $(DATA_CACHE); \
	  $(DOTNET) build serve/Retrieval.Cli -c $(CONFIG) --nologo -v quiet; \
	  case "$(DATASET)" in \
	    emoji) $(RETRIEVAL_CLI) data emoji --cache $(DATA_CACHE) --out $(DATA_DIR) ;; \
	    fashion-mnist) $(RETRIEVAL_CLI) data fashion-mnist --cache $(DATA_CACHE) --out $(DATA_DIR) --per-class $(FMNIST_PER_CLASS) ;; \
	    *) echo "unknown DATASET=$(DATASET) (emoji | fashion-mnist)" >&2; exit 2 ;; \
	  esac; \
	fi
