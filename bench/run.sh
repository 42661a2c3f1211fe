#!/usr/bin/env bash
# Builds the benchmarks in Release (build/bench) and runs them. Figures go to stdout and to
# bench/out/<name>.json, plots to bench/out/*.png (bench/plot.py; a load benchmark's load.jsonl
# copied there adds its own); copy what you report into bench/RESULTS.md with the commit and
# machine.
#
#   bench/run.sh [google-benchmark flags, e.g. --benchmark_filter=HomeDepot]
#
# Benchmarks never run in `make test`. The BLAS environment (OPENBLAS_CORETYPE) is left as the
# machine sets it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOUK_BUILD_BENCH=ON \
  -DSOUK_BUILD_TESTS=OFF > /dev/null
cmake --build build/bench --target bm25_bench encoder_bench vector_bench
mkdir -p bench/out
echo "machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), commit $(git rev-parse --short HEAD)"
build/bench/bench/bm25_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out=bench/out/bm25_bench.json --benchmark_out_format=json "$@"
# Encoder figures are single runs: BERT-base at batch 32 takes seconds per forward.
build/bench/bench/encoder_bench --benchmark_out=bench/out/encoder_bench.json \
  --benchmark_out_format=json "$@"
build/bench/bench/vector_bench --benchmark_out=bench/out/vector_bench.json \
  --benchmark_out_format=json "$@"
bench/plot.py bench/out
