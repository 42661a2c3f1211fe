#!/usr/bin/env bash
# Generates the Python gRPC stubs of Souk's API (proto/souk/v1) into OUT_DIR with Debian's
# protoc and grpc_python_plugin (packages protobuf-compiler, protobuf-compiler-grpc); the
# modules import as `souk.v1.search_pb2`, `souk.v1.search_pb2_grpc`, ...; and those of the
# reflection protocol (reflection.proto) for souk_reflect.py.
#
#   examples/python/generate_stubs.sh [OUT_DIR]     (default: examples/python/gen)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/examples/python/gen}
mkdir -p "$out"
protoc -I "$root/proto" --python_out="$out" --grpc_python_out="$out" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  "$root"/proto/souk/v1/*.proto
# The reflection protocol, for souk_reflect.py (module reflection_pb2).
protoc -I "$root/examples/python" --python_out="$out" --grpc_python_out="$out" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  "$root/examples/python/reflection.proto"
echo "stubs in $out"
