# Souk's front door. `make run` serves the demo shop; `make test` builds and runs the tests.
# Both install missing Debian packages first (scripts/install-deps.sh) and configure on demand.

BUILD_DIR ?= build/release
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
DEMO_DIR ?= out/demo
DEMO_SEED ?= 42

SOUK := $(BUILD_DIR)/src/apps/souk
SOUKD := $(BUILD_DIR)/src/apps/soukd

.PHONY: all deps configure build run test check-deps bench quality clean help

all: build

help:
	@echo "make run     build, generate and index the demo shop, serve it on 127.0.0.1:50051"
	@echo "make test    build and run unit, integration and relevance tests (ctest) and the layering check"
	@echo "make bench   build in Release and run the micro-benchmarks (bench/run.sh)"
	@echo "make quality BM25 quality on the Home Depot data in ../shared/data (bench/quality/)"

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

$(DEMO_DIR)/shop/catalog.jsonl: | build
	$(SOUK) gen --out $(DEMO_DIR)/shop --seed $(DEMO_SEED)

# The index is rebuilt on every run (a few seconds) so it always matches the binary and config.
run: build $(DEMO_DIR)/shop/catalog.jsonl
	$(SOUK) index --catalog $(DEMO_DIR)/shop/catalog.jsonl --out $(DEMO_DIR)/index --config configs/demo.yaml
	$(SOUKD) --config configs/demo.yaml

test: build
	scripts/check-deps
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

check-deps:
	scripts/check-deps

bench:
	bench/run.sh

quality: build
	bench/quality/homedepot.sh $(BUILD_DIR)

clean:
	rm -rf build out
