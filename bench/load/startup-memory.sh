#!/usr/bin/env bash
# Start-up time and memory of soukd on a large generated shop (BM25F, no encoder):
#   1. a demo shop (`souk gen`) of SOUK_PRODUCTS products (default 1,000,000),
#   2. its index (`souk index`: the catalog and the lexical index, no vectors),
#   3. soukd started on it, timed from launch to "serving on port"; then its resident memory,
#      per product, and the lexical index's share from its start-up log.
# Vectors add their own: dimension x 4 bytes per product for the exact scan, plus the HNSW
# graph's links (bench/RESULTS.md, vector search).
#
#   bench/load/startup-memory.sh [WORK_DIR]
#
# The shop and index stay in WORK_DIR when given and are reused by a rerun (delete it to start
# over); else a temporary directory is used and removed. soukd gets 120 s to start.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -gt 1 ]]; then
  sed -n 2,14p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init "" "${1:-}"
products=${SOUK_PRODUCTS:-1000000}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "$products" --users 1000 --sessions 1000 >&2
fi
if [[ ! -f $work/index/manifest.json ]]; then
  /usr/bin/time -f "index: %e s, %M KB peak" "$souk" index --catalog "$work/shop/catalog.jsonl" \
    --out "$work/index" >&2
fi
cat > "$work/souk.yaml" << EOF
server: {address: "127.0.0.1:0"}
index: {dir: "$work/index"}
logging: {level: info}
EOF
echo "machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git rev-parse --short HEAD), $products products, index $(du -sm "$work/index" | cut -f1) MB on disk" >&2
start=$(date +%s.%N)
start_soukd "$work/souk.yaml"
ready=$(echo "$(date +%s.%N) - $start" | bc)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
grep -E "loaded (index|snapshot)" "$work/soukd.out" | cut -d' ' -f3- >&2
printf 'ready in %.1f s; resident %d MB, %d bytes per product\n' "$ready" $((rss_kb / 1024)) \
  $((rss_kb * 1024 / products))
stop_soukd
