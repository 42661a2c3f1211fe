#!/usr/bin/env bash
# The layering check must pass on the repository and catch each kind of violation.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
check="$src/scripts/check-deps"
"$check" > /dev/null || { echo "FAIL: the repository itself violates the layering"; exit 1; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
expect_violation() {  # file, line
  rm -rf "$tmp/src" "$tmp/include"
  mkdir -p "$(dirname "$tmp/$1")"
  echo "$2" > "$tmp/$1"
  if "$check" --root "$tmp" > "$tmp/out"; then
    echo "FAIL: '$2' in $1 was accepted"; exit 1
  fi
}
expect_violation src/text/a.cc '#include "souk/engine/search_engine.h"'      # upward
expect_violation src/text/a.cc '#include "souk/catalog/product.h"'           # same layer
expect_violation src/engine/a.cc '#include "grpcpp/server.h"'                # transport below api
expect_violation src/lexical/a.cc '#include "yaml-cpp/yaml.h"'               # yaml outside config
expect_violation src/catalog/a.cc '#include "spdlog/spdlog.h"'               # spdlog outside base
expect_violation include/souk/encoder/a.h '#include <torch/torch.h>'         # torch in a header
mkdir -p "$tmp/src/lexical" && rm -rf "$tmp/src/text" "$tmp/include"
rm -rf "$tmp/src"; mkdir -p "$tmp/src/lexical"
echo '#include "souk/text/analyzer.h"' > "$tmp/src/lexical/ok.cc"
"$check" --root "$tmp" > /dev/null || { echo "FAIL: a downward include was rejected"; exit 1; }
echo "check-deps self-test: ok"
