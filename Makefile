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

# Where `dotnet build` puts a project's output: $(call bin,train/Retrieval.Train) -> train/Retrieval.Train/bin/Release/net10.0/linux-x64
bin = $(1)/bin/$(CONFIG)/net10.0/linux-x64
RETRIEVAL_CLI = $(call bin,serve/Retrieval.Cli)/retrieval
BENCH_BIN     = $(call bin,bench/Retrieval.Bench)/retrieval-bench

# One fragment per step of the pipeline: data, train, eval, serve, bench, deploy, build.
include $(sort $(wildcard mk/*.mk))

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
