# Data sets in DeepFashion In-Shop layout under data/$(DATASET) (downloads cached in .cache/data), built by
# `retrieval-data` (core/Retrieval.Data). The rule for DATA_DIR, shared by every target that reads it:
#   - a folder that DatasetLoader reads (In-Shop as released, CUB, SOP, ours) is used as it is;
#   - make builds only the project's own sets, and only into a folder that is absent or carries the project's
#     marker (.retrieval-dataset); an absent DATA_DIR is built only by `make data` or when it is data/$(DATASET);
#   - anything else is a one-line error naming the folder. Nothing make did not build is written into or deleted.
DATA_CACHE ?= .cache/data
# Fashion-MNIST: at most this many images per class (7000 = all 70,000 images).
FMNIST_PER_CLASS ?= 1000

DATA_BIN     := $(call bin,core/Retrieval.Data)/retrieval-data
DATA_SOURCES := $(shell find core/Retrieval.Core core/Retrieval.Data \( -name bin -o -name obj \) -prune -o \( -name '*.cs' -o -name '*.csproj' \) -print) \
                Directory.Build.props Directory.Packages.props
# An absent DATA_DIR may be created by the targets that read data only when it is the project's own data/$(DATASET).
DATA_MAY_CREATE = $(if $(filter $(abspath data/$(DATASET)),$(abspath $(DATA_DIR))),--may-create)
DATA_BUILD_ARGS = $(if $(filter fashion-mnist,$(DATASET)),--per-class $(FMNIST_PER_CLASS))

# Rebuilt only when its sources change, so `make data` on a complete set stays a quick no-op.
$(DATA_BIN): $(DATA_SOURCES)
	@$(DOTNET) build core/Retrieval.Data -c $(CONFIG) --nologo -v quiet -clp:NoSummary
	@touch $@

.PHONY: data data-ready
data: $(DATA_BIN) ## Download and write $(DATA_DIR) (DATASET=emoji | emoji3 | fashion-mnist) in In-Shop layout; no-op when complete
	@rc=0; $(DATA_BIN) check "$(DATA_DIR)" --dataset "$(DATASET)" --for build || rc=$$?; \
	case $$rc in \
	  0) echo "delete $(DATA_DIR) to rebuild"; grep -E '^\| (train|query|gallery|total) ' "$(DATA_DIR)/DATASET.md" || true ;; \
	  3) set -e; bash scripts/fetch-data.sh "$(DATASET)" "$(DATA_CACHE)"; \
	     $(DATA_BIN) "$(DATASET)" --cache "$(DATA_CACHE)" --out "$(DATA_DIR)" $(DATA_BUILD_ARGS) ;; \
	  *) exit $$rc ;; \
	esac

# Prerequisite of every target that reads $(DATA_DIR): uses it as it is, builds the project's set, or stops.
data-ready: $(DATA_BIN)
	@rc=0; $(DATA_BIN) check "$(DATA_DIR)" --dataset "$(DATASET)" --for use $(DATA_MAY_CREATE) || rc=$$?; \
	case $$rc in \
	  0) ;; \
	  3) $(MAKE) --no-print-directory data ;; \
	  *) exit $$rc ;; \
	esac
