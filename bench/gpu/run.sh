#!/usr/bin/env bash
# The GPU figures, on a CUDA machine that has PyTorch and no package archive:
#   1. unpacks PACK_DIR (bench/gpu/pack.sh, made on the Debian 12 build machine) into a prefix:
#      the Debian packages with `dpkg -x` (nothing is installed), sentencepiece beside them,
#   2. builds the libtorch components alone (SOUK_TORCH_COMPONENTS_ONLY) against PyTorch's own
#      libtorch (torch.utils.cmake_prefix_path), in Release, into BUILD_DIR (build/gpu),
#   3. runs their unit tests and the CPU/GPU parity test (device_parity_test),
#   4. runs bench/micro/gpu_bench.cc: BERT-base query latency (batch 1, sequence 32/64/128) and
#      batched throughput (sequence 128) in fp16, a query through TextEncoder, exact search over
#      1M x 256 fp16 rows.
# Writes OUT_DIR/machine.txt, tests.txt, gpu_bench.txt and gpu_bench.json; about ten minutes on
# a 16-core machine (most of it the build).
#
#   bench/gpu/run.sh PACK_DIR OUT_DIR [BUILD_DIR]
#
# Environment: SOUK_BENCH_PRECISION (fp16), SOUK_BENCH_DEVICE (cuda; cpu checks the script on a
# machine without a GPU), SOUK_BENCH_ROWS (1000000), SOUK_BENCH_FILTER (a --benchmark_filter
# regex; default all), SOUK_TORCH_PREFIX (a CMake prefix holding Torch/TorchConfig.cmake, when
# not python3's torch), JOBS (nproc).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 2 || $# -gt 3 ]]; then
  sed -n 2,20p "$0" >&2
  exit 2
fi
pack=$(realpath "$1")
mkdir -p "$2"
out=$(realpath "$2")
build=${3:-build/gpu}
[[ -d $pack/debs && -f $pack/sentencepiece.tar.gz ]] ||
  { echo "$pack is not a bench/gpu/pack.sh output (no debs/ or sentencepiece.tar.gz)" >&2; exit 1; }
start=$(date +%s)

prefix=$(mktemp -d /tmp/souk-gpu-prefix.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
for deb in "$pack"/debs/*.deb; do dpkg -x "$deb" "$prefix"; done
tar -xzf "$pack/sentencepiece.tar.gz" -C "$prefix"
libdir=$prefix/usr/lib/x86_64-linux-gnu
# zlib1g-dev's libz.so points at Debian 12's /lib/.../libz.so.1.2.13: use the machine's zlib
# (an essential package of every Debian or Ubuntu; its ABI has not changed since 1.2).
ln -sf /lib/x86_64-linux-gnu/libz.so.1 "$libdir/libz.so"
# sentencepiece's protobuf-lite and ICU's data are loaded by libraries, not by our binaries.
export LD_LIBRARY_PATH=$libdir:$prefix/sentencepiece/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
torch_prefix=${SOUK_TORCH_PREFIX:-$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')}

{
  echo "date: $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version \
    --format=csv,noheader
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' ||
    true
  echo "torch cmake prefix: $torch_prefix"
} | tee "$out/machine.txt"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOUK_TORCH_COMPONENTS_ONLY=ON \
  -DSOUK_BUILD_BENCH=ON -DCMAKE_PREFIX_PATH="$prefix/usr;$torch_prefix" \
  -DICU_ROOT="$prefix/usr" -DSOUK_SENTENCEPIECE_ROOT="$prefix/sentencepiece" > "$out/configure.txt"
tests=(model_io_test model_test vector_test encoder_test device_parity_test)
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "${tests[@]}" gpu_bench
echo "built in $(( $(date +%s) - start )) s" | tee -a "$out/machine.txt"

status=0
for t in "${tests[@]}"; do
  binary=$(find "$build/tests" -name "$t" -type f -perm -u+x | head -1)
  "$binary" --gtest_brief=1 2>&1 | tee -a "$out/tests.txt" || status=1
done
"$build/bench/gpu_bench" --benchmark_filter="${SOUK_BENCH_FILTER:-.}" --benchmark_out="$out/gpu_bench.json" --benchmark_out_format=json \
  2>&1 | tee "$out/gpu_bench.txt" || status=1
echo "bench/gpu/run.sh: $(( $(date +%s) - start )) s, status $status" | tee -a "$out/machine.txt"
exit "$status"
