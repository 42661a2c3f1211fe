#!/usr/bin/env bash
# Search latency and throughput over gRPC for the full pipeline on a 100k-product shop:
#   1. a generated demo shop (`souk gen`) of SOUK_PRODUCTS products (default 100,000),
#   2. its index with every product embedded by MODEL_DIR (a model directory; `make run` trains
#      one into out/demo/model) and an HNSW graph of the vectors,
#   3. a LambdaMART ranker trained on the shop's logged sessions,
#   4. soukd on loopback serving hybrid candidates + ranker, once with the exact vector scan and
#      once with the HNSW graph, its query-embedding cache off so that every request runs the
#      encoder,
#   5. for each, `souk load` with the shop's distinct search queries: closed loop at 1, 2, 4, 8
#      and 16 clients, then open loop at fixed rates.
#
#   bench/load/search-latency.sh MODEL_DIR [WORK_DIR]
#
# Figures (one JSON object per run, with the backend) go to stdout and WORK_DIR/load.jsonl. The
# shop, index and ranker stay in WORK_DIR when given and are reused by a rerun (delete it to
# start over); else a temporary directory is used and removed. Environment: SOUK_PRODUCTS
# (100000), SOUK_SESSIONS (20000), SOUK_REQUESTS per run (2000), SOUK_RATES ("25 50 100"). Every
# run is bounded by its request count and 120 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n 2,21p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init "$@"
products=${SOUK_PRODUCTS:-100000}
requests=${SOUK_REQUESTS:-2000}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "$products" --users 20000 \
    --sessions "${SOUK_SESSIONS:-20000}" >&2
fi
hnsw=(--set vectors.backend=hnsw)
if [[ ! -f $work/index/manifest.json ]]; then
  /usr/bin/time -f "index: %e s, %M KB peak" "$souk" index --catalog "$work/shop/catalog.jsonl" \
    --out "$work/index" --model "$model" "${hnsw[@]}" >&2
fi
if [[ ! -f $work/ranker.json ]]; then
  "$souk" train ranker --index "$work/index" --set "encoder.model_dir=$model" "${hnsw[@]}" \
    --sessions "$work/shop/events.jsonl" --out "$work/ranker.json" >&2
fi
shop_queries "$work/shop" "$work/queries.tsv"

cat > "$work/souk.yaml" << EOF
server: {address: "127.0.0.1:0"}
index: {dir: "$work/index"}
encoder: {model_dir: "$model", cache_entries: 0}
ranker: {model: "$work/ranker.json"}
logging: {level: warn}
EOF
echo "machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git rev-parse --short HEAD), $(wc -l < "$work/queries.tsv") distinct queries" |
  tee "$work/load.jsonl" >&2

# Starts soukd with `--set vectors.backend=$1`, drives it, stops it.
measure() {
  local backend=$1
  start_soukd "$work/souk.yaml" --set "vectors.backend=$backend"
  local load=("$souk" load --server "127.0.0.1:$port" --queries "$work/queries.tsv"
              --duration-s 120 --json)
  local tag="s/^{/{\"backend\":\"$backend\",/"
  "${load[@]}" --clients 1 --requests 200 > /dev/null  # warm-up: lazy start-up, page cache
  for clients in 1 2 4 8 16; do
    "${load[@]}" --clients "$clients" --requests "$requests" | sed "$tag"
  done
  for rate in ${SOUK_RATES:-25 50 100}; do
    "${load[@]}" --clients 64 --rate "$rate" --requests "$requests" | sed "$tag"
  done
  stop_soukd "$backend"
}
for backend in exact hnsw; do measure "$backend" > >(tee -a "$work/load.jsonl"); done
