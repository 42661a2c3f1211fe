#!/usr/bin/env bash
# Packs what bench/gpu/run.sh needs besides the repository and PyTorch, for a CUDA machine that
# cannot reach a package archive: the Debian 12 packages of the libtorch components' other
# libraries (downloaded with `apt-get download`, unpacked there with `dpkg -x`, never installed)
# and the sentencepiece that scripts/install-deps.sh built into .deps/sentencepiece. Run it here,
# on the Debian 12 machine that builds Souk, then copy the repository and PACK_DIR over.
#
#   bench/gpu/pack.sh PACK_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -ne 1 ]]; then
  sed -n 2,8p "$0" >&2
  exit 2
fi
pack=$1
[[ -f .deps/sentencepiece/include/sentencepiece_processor.h ]] ||
  { echo "no .deps/sentencepiece: run scripts/install-deps.sh first" >&2; exit 1; }

# Headers and shared libraries of base/, text/, model/, encoder/ and vector/ (CMakeLists.txt with
# SOUK_TORCH_COMPONENTS_ONLY), of the tests and benchmarks, and the protobuf-lite that
# sentencepiece links.
packages=(
  libabsl-dev libabsl20220623
  libspdlog-dev libspdlog1.10 libfmt-dev libfmt9
  nlohmann-json3-dev
  zlib1g-dev
  libicu-dev libicu72
  libstemmer-dev libstemmer0d
  libhnswlib-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev libbenchmark1debian
  libprotobuf-lite32
)
mkdir -p "$pack/debs"
rm -f "$pack"/debs/*.deb
(cd "$pack/debs" && apt-get download "${packages[@]}")
tar -czf "$pack/sentencepiece.tar.gz" -C .deps sentencepiece
du -sh "$pack" >&2
