#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) and runs each until it
# has executed SOUK_FUZZ_RUNS inputs (default 10,000,000) or for SOUK_FUZZ_SECONDS (default 600),
# whichever comes first, keeping its corpus in build/fuzz/corpus/TARGET. A crash stops the run
# with the reproducer saved as build/fuzz/crash-*; the summary line per target gives the
# executions and the coverage (edges) reached.
#
#   scripts/fuzz.sh [TARGET ...]     (default: every fuzz_* target)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${SOUK_FUZZ_RUNS:-10000000}
seconds=${SOUK_FUZZ_SECONDS:-600}
cmake --preset fuzz > /dev/null
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(sed -nE 's/^souk_add_fuzzer\((fuzz_[a-z_]+).*/\1/p' fuzz/CMakeLists.txt)
fi
cmake --build build/fuzz --target "${targets[@]}"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  log=build/fuzz/$target.log
  build/fuzz/fuzz/"$target" -runs="$runs" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix=build/fuzz/crash-"$target"- "$corpus" > "$log" 2>&1 || {
    echo "$target: FAILED (see $log)" >&2
    tail -n 30 "$log" >&2
    exit 1
  }
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  echo "$target: $execs executions, $cov edges covered, no crash"
done
