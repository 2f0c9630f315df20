# MicroANPR: every target installs what is missing first (make setup is idempotent).
SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
DATASETS ?= ../shared/datasets
BIN := .build/release/microanpr

.PHONY: setup build test bench run clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release

test: setup
	$(SWIFT) test

bench: build
	bash bench/run.sh $(DATASETS)

# The HTTP server comes with the API issue; until then `make run` reads the sample images (or shows the usage
# where the datasets are not beside the repository).
SAMPLES := $(wildcard $(DATASETS)/micrometre_openvino_sample/images/sample.jpg $(DATASETS)/micrometre_carpark1/images/pd_test_data_2.jpg)
run: build
ifneq ($(SAMPLES),)
	$(BIN) recognise --country auto $(SAMPLES)
else
	$(BIN) --help
endif

clean:
	rm -rf .build
