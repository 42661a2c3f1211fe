#!/usr/bin/env bash
# Installs every Debian 12 package Souk needs to build, test and run. Idempotent: when all
# packages are present it changes nothing and does not touch the network. Runs as root, or
# through sudo otherwise. `--check` only reports whether anything is missing (exit 1 if so).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git python3
  # transport and base libraries
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libspdlog-dev libyaml-cpp-dev nlohmann-json3-dev zlib1g-dev
  # text analysis
  libicu-dev libstemmer-dev
  # models, vectors, ranking, storage
  libtorch-dev libopenblas0-openmp libxgboost-dev xgboost libfaiss-dev libhnswlib-dev
  librocksdb-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libxapian-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "install-deps: missing: ${missing[*]}"
  exit 1
fi

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
# libtorch is 10-35x slower on the reference BLAS; the OpenMP OpenBLAS must win the alternative
# (the pthread variant oversubscribes with torch's threads).
if dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "ok installed"; then
  echo "install-deps: warning: libopenblas0-pthread is installed and outranks the OpenMP variant" >&2
fi
