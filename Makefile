# RetrievalSystem — train, export, serve and evaluate image retrieval. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DOTNET   ?= dotnet
CONFIG   ?= Release
DATASET  ?= emoji
DATA_DIR ?= data/$(DATASET)
RUN      ?= default
RUN_DIR  ?= runs/$(RUN)
DEVICE   ?= cpu

# Each area keeps its targets in its own fragment.
include $(sort $(wildcard mk/*.mk))

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
