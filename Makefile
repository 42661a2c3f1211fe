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

.PHONY: all deps configure build apps demo-model run test test-asan test-tsan fuzz check-deps bench quality clean help

all: build

help:
	@echo "make run     build, generate the demo shop, train its encoder (first run), index, serve on 127.0.0.1:50051"
	@echo "make test    build and run unit, integration and relevance tests (ctest) and the layering check"
	@echo "make test-asan  the same tests under AddressSanitizer + UndefinedBehaviorSanitizer (CI runs it too)"
	@echo "make test-tsan  the concurrent components under ThreadSanitizer (CI runs it too)"
	@echo "make fuzz    build the libFuzzer targets (clang, ASan + UBSan) and run each 10M inputs or 10 min"
	@echo "make bench   build in Release and run the micro-benchmarks (bench/run.sh)"
	@echo "make quality BM25 on Home Depot, the recommenders on Amazon Beauty and Scientific, ../shared/data (bench/quality/)"

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Only the two executables: `make run` need not wait for the tests to compile.
apps: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target souk soukd

$(DEMO_DIR)/shop/catalog.jsonl: | apps
	$(SOUK) gen --out $(DEMO_DIR)/shop --seed $(DEMO_SEED)

# The demo encoder, trained on the demo shop the first time (a few minutes), cached afterwards:
# `rm -rf $(DEMO_DIR)/model` retrains it.
$(DEMO_DIR)/model/model.safetensors: | apps $(DEMO_DIR)/shop/catalog.jsonl
	scripts/train-demo-model.sh $(SOUK) $(DEMO_DIR)/shop $(DEMO_DIR)/model

# The demo's review sentiment model (configs/demo.yaml feedback.sentiment), fine-tuned from the
# demo encoder's pre-trained model on the shop's reviews (half a minute), cached afterwards.
$(DEMO_DIR)/sentiment/model.safetensors: $(DEMO_DIR)/model/model.safetensors
	rm -rf $(DEMO_DIR)/sentiment.work
	$(SOUK) train sentiment --model $(DEMO_DIR)/model/training/pretrained \
	  --reviews $(DEMO_DIR)/shop/events.jsonl --out $(DEMO_DIR)/sentiment.work --max-length 32 \
	  --epochs 3 --lr 1e-4
	rm -rf $(DEMO_DIR)/sentiment
	mv $(DEMO_DIR)/sentiment.work $(DEMO_DIR)/sentiment

demo-model: $(DEMO_DIR)/model/model.safetensors $(DEMO_DIR)/sentiment/model.safetensors

# The demo users' histories and baskets, what Recommend learns from (configs/demo.yaml).
$(DEMO_DIR)/shop/interactions.txt $(DEMO_DIR)/shop/baskets.txt &: $(DEMO_DIR)/shop/catalog.jsonl
	scripts/demo-interactions.sh $(DEMO_DIR)/shop/events.jsonl $(DEMO_DIR)/shop/interactions.txt \
	  $(DEMO_DIR)/shop/baskets.txt

# Query rewrites learned from the demo shop's sessions (configs/demo.yaml lexical.rewrites).
$(DEMO_DIR)/shop/rewrites.tsv: $(DEMO_DIR)/shop/catalog.jsonl
	$(SOUK) train rewrites --events $(DEMO_DIR)/shop/events.jsonl --out $@

# The index is rebuilt on every run (BM25F in a second, the product embeddings in about half a
# minute) so it always matches the binary, the config and the demo encoder.
run: apps $(DEMO_DIR)/shop/catalog.jsonl $(DEMO_DIR)/model/model.safetensors \
     $(DEMO_DIR)/sentiment/model.safetensors $(DEMO_DIR)/shop/interactions.txt \
     $(DEMO_DIR)/shop/baskets.txt $(DEMO_DIR)/shop/rewrites.tsv
	$(SOUK) index --catalog $(DEMO_DIR)/shop/catalog.jsonl --out $(DEMO_DIR)/index --config configs/demo.yaml \
	  --threads $(JOBS)
	$(SOUKD) --config configs/demo.yaml

test: build
	scripts/check-deps
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

# Sanitizer builds are Debug builds of their own (build/asan), see CMakePresets.json.
test-asan: deps
	cmake --preset asan > /dev/null
	cmake --build build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j $(JOBS) --timeout 900

# ThreadSanitizer on the concurrent components (batcher, cache, encoder, snapshot swap, HNSW
# searches, the event log's appends, the live aggregates, the work queue, the request queue).
# libtorch is not instrumented; the encoder runs it with one intra-op thread, so no OpenMP
# region runs in parallel for TSan to misjudge. vector_test runs without TSan's lock-order
# checker: hnswlib keeps one mutex per row and per update slot, more than the checker can track
# (its reports there come without stacks to suppress by); data races are still reported.
TSAN_TESTS := encoder_test engine_test vector_test events_test base_test api_test
test-tsan: deps
	cmake --preset tsan > /dev/null
	cmake --build build/tsan -j $(JOBS) --target $(TSAN_TESTS)
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1" build/tsan/tests/unit/encoder/encoder_test
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1" build/tsan/tests/unit/engine/engine_test
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1" build/tsan/tests/unit/events/events_test
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1" build/tsan/tests/unit/base/base_test
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1" build/tsan/tests/unit/api/api_test
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 detect_deadlocks=0" \
	  build/tsan/tests/unit/vector/vector_test

fuzz: deps
	scripts/fuzz.sh

check-deps:
	scripts/check-deps

bench:
	bench/run.sh

quality: build $(DEMO_DIR)/model/model.safetensors
	bench/quality/homedepot-bm25.sh $(BUILD_DIR)
	bench/quality/beauty.sh $(BUILD_DIR)
	bench/quality/scientific.sh $(DEMO_DIR)/model $(BUILD_DIR)

clean:
	rm -rf build out
