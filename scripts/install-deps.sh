#!/usr/bin/env bash
# Installs every Debian 12 package Souk needs to build, test and run. Idempotent: when all
# packages are present it changes nothing and does not touch the network. Runs as root, or
# through sudo otherwise. `--check` only reports whether anything is missing (exit 1 if so).
# It also builds sentencepiece once into .deps/sentencepiece (section below; later runs skip it).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git python3
  # transport and base libraries
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libspdlog-dev libyaml-cpp-dev nlohmann-json3-dev zlib1g-dev libssl-dev openssl
  # text analysis
  libicu-dev libstemmer-dev
  # models, vectors, ranking, storage
  libtorch-dev libopenblas0-openmp libxgboost-dev xgboost libfaiss-dev libhnswlib-dev
  librocksdb-dev prometheus-cpp-dev
  # tests and benchmarks; gnuplot draws the training curves (souk train ...)
  libgtest-dev libgmock-dev libbenchmark-dev libxapian-dev gnuplot-nox
  # the Python client example (examples/python) and its test
  python3-grpcio python3-protobuf
  # the web console's browser test (tests/scripts/console_browser_test.py): headless Chromium
  chromium chromium-driver python3-selenium
  # sentencepiece is rebuilt from the Debian source (section below): apt-get source needs
  # dpkg-dev; it builds against libprotobuf-dev above. Never libsentencepiece-dev.
  dpkg-dev
)

# ---- sentencepiece, rebuilt from the Debian source into <repo>/.deps/sentencepiece ----------
# Debian's libsentencepiece0 embeds protobuf-lite 3.14 and exports its symbols: a process that
# also loads libprotobuf.so.32 (libtorch, gRPC) segfaults or aborts at start-up. We rebuild the
# same upstream version against the system protobuf instead (notes: debian-stack.md section 8),
# with the one-line fix of google/sentencepiece#787 (released in 0.1.98). The source comes through
# a private deb-src list derived from this machine's Debian sources, so the system's apt
# configuration, lists and caches are left untouched. No root needed: it only writes the prefix.
spm_version=0.1.97
spm_stamp_text="sentencepiece ${spm_version} patch=init-h-system-protobuf cmake=builtin-protobuf-off,pic"
spm_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
spm_prefix="${spm_repo_root}/.deps/sentencepiece"
spm_stamp="${spm_prefix}/souk-build.stamp"

spm_is_built() {
  [[ -f "${spm_prefix}/lib/libsentencepiece.so" && -f "${spm_prefix}/lib/libsentencepiece_train.so" &&
     -f "${spm_prefix}/include/sentencepiece_processor.h" && -f "${spm_stamp}" &&
     "$(cat "${spm_stamp}")" == "${spm_stamp_text}" ]]
}

# Writes deb-src entries for the Debian archives among the machine's apt sources into $1.
spm_write_deb_src() {
  local out=$1 f
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    # deb822: the same stanzas with Types "deb-src".
    sed -E 's/^Types:.*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"${out}/debian.sources"
  fi
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    grep -E '^[[:space:]]*deb[[:space:]].*debian' "$f" | sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /' \
      >>"${out}/debian-src.list" || true
  done
  [[ -s "${out}/debian.sources" || -s "${out}/debian-src.list" ]] ||
    { echo "install-deps: no Debian apt source found to derive deb-src from" >&2; return 1; }
}

build_sentencepiece() {
  if spm_is_built; then
    echo "install-deps: sentencepiece ${spm_version} already built in ${spm_prefix}"
    return 0
  fi
  if dpkg-query -W -f='${Status}' libsentencepiece-dev 2>/dev/null | grep -q "ok installed"; then
    echo "install-deps: warning: libsentencepiece-dev is installed; Souk must not use it (its" \
         "library crashes next to torch/gRPC); consider 'apt-get remove libsentencepiece-dev'" >&2
  fi
  local work start
  work=$(mktemp -d "${TMPDIR:-/tmp}/souk-spm.XXXXXX")
  # shellcheck disable=SC2064  # expand now: $work is local
  trap "rm -rf '${work}'" EXIT
  start=$(date +%s)
  mkdir -p "${work}/sources.list.d" "${work}/lists/partial" "${work}/src"
  spm_write_deb_src "${work}/sources.list.d"
  local apt_private=(-o "Dir::Etc::sourcelist=${work}/none.list"
                     -o "Dir::Etc::sourceparts=${work}/sources.list.d"
                     -o "Dir::State::Lists=${work}/lists"
                     -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
  # As root, apt would hand the download to _apt, which cannot write into our private mktemp dir.
  [[ $(id -u) -ne 0 ]] || apt_private+=(-o "APT::Sandbox::User=root")
  echo "install-deps: fetching the sentencepiece source package"
  apt-get "${apt_private[@]}" -qq update
  (cd "${work}/src" && apt-get "${apt_private[@]}" -qq source sentencepiece >"${work}/source.log") ||
    { cat "${work}/source.log" >&2; return 1; }
  local src="${work}/src/sentencepiece-${spm_version}"
  [[ -d "${src}" ]] || { echo "install-deps: expected ${src}; Debian's sentencepiece is not" \
                              "${spm_version} any more, revisit the patch below" >&2; return 1; }
  # google/sentencepiece#787: init.h reaches for the bundled protobuf-lite header even when
  # building against the system protobuf.
  sed -i 's|#include "third_party/protobuf-lite/google/protobuf/message_lite.h"|#include <google/protobuf/message_lite.h>|' \
    "${src}/src/init.h"
  grep -q '#include <google/protobuf/message_lite.h>' "${src}/src/init.h" ||
    { echo "install-deps: patching sentencepiece src/init.h failed" >&2; return 1; }
  # SPM_ENABLE_SHARED=OFF is broken in 0.1.97 (alias-target error), so the shared library stays.
  cmake -S "${src}" -B "${work}/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSPM_USE_BUILTIN_PROTOBUF=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_INSTALL_PREFIX="${spm_prefix}" -DCMAKE_INSTALL_LIBDIR=lib \
    -DCMAKE_INSTALL_RPATH="${spm_prefix}/lib" >"${work}/configure.log" ||
    { cat "${work}/configure.log" >&2; return 1; }
  rm -rf "${spm_prefix}"
  cmake --build "${work}/build" -j "$(nproc)" >"${work}/build.log" ||
    { tail -50 "${work}/build.log" >&2; return 1; }
  cmake --install "${work}/build" >/dev/null
  echo "${spm_stamp_text}" >"${spm_stamp}"
  rm -rf "${work}"
  trap - EXIT
  echo "install-deps: sentencepiece ${spm_version} built into ${spm_prefix} in $(( $(date +%s) - start )) s"
}
# ---- end of sentencepiece ----------------------------------------------------------------

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  if [[ "${1:-}" == "--check" ]]; then
    spm_is_built || { echo "install-deps: missing: sentencepiece in ${spm_prefix}"; exit 1; }
    exit 0
  fi
  build_sentencepiece
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "install-deps: missing: ${missing[*]}"
  spm_is_built || echo "install-deps: missing: sentencepiece in ${spm_prefix}"
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
build_sentencepiece
