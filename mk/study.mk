# The study: `make study` measures the paper's claims (docs/study.md + docs/study/*.png). Resumable: features and
# finished runs are cached under $(STUDY_CACHE); a killed run loses at most the trainings in flight.
#   make study                      every part, then the report
#   make study PART=modern          one part (modern | diagnose | traditional | dims | report); PART="modern dims" runs several
#   make study STUDY_ARGS="--trials 4 --reps 3"   smaller (or larger) budgets; `retrieval-study --help` lists them
STUDY_BIN    := $(call bin,train/Retrieval.Study)/retrieval-study
PART         ?= all
STUDY_ARGS   ?=
STUDY_REPORT ?= $(if $(filter emoji,$(DATASET)),docs/study.md,runs/study/$(DATASET)/study.md)
STUDY_CACHE  ?= runs/study/$(DATASET)
# The backbone: the ImageNet ResNet-18 of NuGet by default; STUDY_PRETRAINED=none STUDY_BACKBONE=resnet18 = random init.
STUDY_BACKBONE   ?= resnet18-cntk
STUDY_PRETRAINED ?= imagenet-resnet18

.PHONY: study study-build
study-build:
	@$(DOTNET) build train/Retrieval.Study -c $(CONFIG) $(GPU_PROPS) -v q --nologo -clp:NoSummary

study: study-build data-ready ## The paper's claims measured: modern (frozen features), traditional (fine-tuning), dims; writes docs/study.md (PART=..., STUDY_ARGS=...)
	@$(STUDY_BIN) --data $(DATA_DIR) --cache $(STUDY_CACHE) --report $(STUDY_REPORT) --part $(PART) --backbone $(STUDY_BACKBONE) --pretrained $(STUDY_PRETRAINED) $(STUDY_ARGS)
