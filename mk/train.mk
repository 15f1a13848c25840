# Training: `make train` fine-tunes the ImageNet ResNet-18 with MFCWMS on $(DATA_DIR), evaluates it and exports $(RUN_DIR)/model.onnx;
# `make results-losses` trains five losses with the same budget and writes docs/results/trainer-losses.md (copied into docs/results.md).
TRAIN_BIN   := $(call bin,train/Retrieval.Train)/retrieval-train
# make train = retrieval-train's defaults (docs/training.md#the-default-run): the ImageNet ResNet-18 from NuGet fine-tuned
# with MFCWMS at 96 px, 6 epochs, lr 1e-4, mean fields x2000, frozen BatchNorm -- sized for a 2-core CPU, under 15
# minutes with the data step (10 min 29 s measured from a fresh clone). TRAIN_ARGS adds or overrides any option (e.g. TRAIN_ARGS="--epochs 12").
TRAIN_ARGS  ?=
# libtorch intra-op threads: one per CPU the machine shows, not libtorch's own core detection, so two machines of the
# same kind run the same reductions (the count is recorded in config.json; docs/training.md#reproducibility).
TRAIN_THREADS ?= $(shell nproc)
TRAIN_THREADS_ARG = $(if $(findstring --threads,$(TRAIN_ARGS)),,--threads $(TRAIN_THREADS))
RESUME      ?= 0
LOSSES      ?= mfcwms mfcont cwms contrastive proxyanchor
RESULTS_MD  ?= docs/results/trainer-losses.md

.PHONY: train train-build results-losses

train-build:
	@$(DOTNET) build train/Retrieval.Train -c $(CONFIG) $(GPU_PROPS) -v q --nologo -clp:NoSummary

train: train-build data-ready ## Fine-tune the ImageNet ResNet-18 with MFCWMS on $(DATA_DIR) (used as it is; data/$(DATASET) built if missing), test it, export $(RUN_DIR)/model.onnx (RESUME=1 continues)
	@if [ "$(RESUME)" = 1 ]; then resume=--resume; else bash scripts/replace-run-dir.sh "$(RUN_DIR)" || exit $$?; resume=; fi; \
	  $(TRAIN_BIN) --data $(DATA_DIR) --loss mfcwms --device $(DEVICE) $(TRAIN_THREADS_ARG) \
	    --output $(patsubst %/,%,$(dir $(RUN_DIR))) --name $(notdir $(RUN_DIR)) $$resume $(TRAIN_ARGS)

results-losses: train-build deps data-ready ## Train MFCWMS, MFCont, CWMS, Contrastive, ProxyAnchor with one budget; table -> $(RESULTS_MD)
	@for loss in $(LOSSES); do \
	  bash scripts/replace-run-dir.sh runs/losses-$$loss || exit 1; \
	  $(TRAIN_BIN) --data $(DATA_DIR) --loss $$loss --device $(DEVICE) $(TRAIN_THREADS_ARG) --output runs --name losses-$$loss $(TRAIN_ARGS) || exit 1; \
	done
	@bash scripts/loss-results-table.sh "$(DATASET)" "$(TRAIN_ARGS)" $(addprefix runs/losses-,$(LOSSES)) > $(RESULTS_MD).tmp && mv $(RESULTS_MD).tmp $(RESULTS_MD)
	@cat $(RESULTS_MD)
