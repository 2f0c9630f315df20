# MicroANPR: every target installs what is missing first (make setup is idempotent).
SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
DATASETS ?= ../shared/datasets
BIN := .build/release/microanpr
# ONNX Runtime's official builds send usage telemetry to Microsoft (Linux too since 1.31); the Swift engine turns
# it off itself, this covers the Python tools (training, quantisation, benches).
export ORT_DISABLE_TELEMETRY := 1

.PHONY: setup build test bench bench-scale run clean train overload format fuzz

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release

# Tests run against throwaway PostgreSQL and S3-compatible (moto) servers started on loopback for the run,
# then the OpenAPI document is checked against a live server with schemathesis, and the dashboard is driven in
# headless Chromium (screenshots in test-output/screenshots).
test: setup
	# Four runs. The unit targets' tests work synchronously on Swift's cooperative threads (2 on 2 cores): beside
	# them, the live-server tests' requests waited up to 27 s for a thread (measured), past their clients' timeouts
	# (CI stop 65: the edge client's 30 s); alone, the server tests' worst wait was 0.75 s, and the two runs take no
	# longer than one. The command-line tests start many server processes, which starved the live-server tests too.
	# The stream-credential test waits on open streams through a client with a fixed 15 s deadline, so it runs alone.
	bash scripts/test-services.sh bash -c '$(SWIFT) test --skip "^ServerTests\." --skip "^CLITests\." \
	  && $(SWIFT) test --skip-build --filter "^ServerTests\." --skip "\.StreamCredentialTests/" \
	  && $(SWIFT) test --skip-build --filter "^CLITests\." && $(SWIFT) test --skip-build --filter "\.StreamCredentialTests/"'
	bash scripts/api-fuzz.sh
	bash scripts/overload-test.sh
	bash scripts/browser-test.sh

# Overload on its own: a server under `ulimit -n 256` with more SSE clients than it may hold (also in make test).
overload: setup
	bash scripts/overload-test.sh

# Reproduces models/plate_reader.onnx: PP-OCRv4's recogniser fine-tuned on rendered plates + the training split of
# training/splits.json (about 1.5 hours on 2 cores). CORRECTIONS="dir1 dir2" adds folders written by
# `microanpr training-export` (its `--sure N` adds uncorrected sure reads); READER=b trains the default manifest's second reader (models/plate_reader_b.onnx),
# READER=a2 (after a plain `make train`, from its checkpoint) the video frames' reader (models/plate_reader_a2.onnx: reader A trained further); ARCH=crnn
# trains the CRNN from scratch of the model card's comparison instead.
train: build
	bash training/train.sh

# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the image and video decoders, the multipart parser, the
# CSV importer and JSON bodies: FUZZ_SECONDS per target (default 120), or FUZZ_RUNS executions each.
fuzz: setup
	bash fuzz/run.sh

bench: build
	bash bench/api.sh
	bash bench/events.sh
	bash bench/dashboard.sh
	bash bench/run.sh $(DATASETS)

# Reads at scale: 10 million reads (+ 1 million over 20 other tenants) on PostgreSQL and SQLite, every list and
# search measured with wrk, ingest and retention under load, query plans (about an hour; READS=1000000 for a
# quicker run, ENGINES=postgres for one engine). Figures in docs/scale.md.
bench-scale: build
	bash bench/scale.sh

# Serves the API on 127.0.0.1:8080 (MICROANPR_PORT etc. to change) with SQLite and media under ./data. The
# first run creates a tenant and prints its API key once (kept in ./data/first-tenant.json, mode 0600).
run: build
	@bash scripts/run.sh

clean:
	rm -rf .build

# Formats the Swift sources with the toolchain's swift-format and the checked-in .swift-format (not the generated
# client, which scripts/generate-api-client.sh rewrites).
format:
	swift format format --in-place --parallel $$(find Sources Tests -name '*.swift' -not -path 'Sources/APIContract/Generated/*') Package.swift
