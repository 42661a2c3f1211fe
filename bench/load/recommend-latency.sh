#!/usr/bin/env bash
# Recommend and SimilarItems latency and throughput over gRPC on a 100k-product shop:
#   1. a generated demo shop (`souk gen`) of SOUK_PRODUCTS products (default 100,000),
#   2. its index with every product embedded by MODEL_DIR (a model directory; `make run` trains
#      one into out/demo/model) and an HNSW graph of the vectors (content neighbours),
#   3. the users' histories from the shop's events (scripts/demo-interactions.sh) and a
#      sequential model trained on them (`souk train seqrec`, SOUK_SEQREC_EPOCHS epochs),
#   4. soukd on loopback serving Recommend (sequential model + co-visitation + content, merged,
#      filtered, diversified, filled) and SimilarItems,
#   5. `souk load --rpc recommend` with the users who have a history, closed loop at 1, 2, 4 and
#      8 clients, then `--rpc similar` with the products they interacted with.
#
#   bench/load/recommend-latency.sh MODEL_DIR [WORK_DIR]
#
# Figures (one JSON object per run) go to stdout and WORK_DIR/recommend-load.jsonl. The shop,
# index and models stay in WORK_DIR when given and are reused by a rerun (the layout of
# search-latency.sh: one WORK_DIR can serve both); else a temporary directory is used and
# removed. Environment: SOUK_PRODUCTS (100000), SOUK_SESSIONS (20000), SOUK_REQUESTS per run
# (2000), SOUK_SEQREC_EPOCHS (5). Every run is bounded by its request count and 120 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n 2,19p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init "$@"
requests=${SOUK_REQUESTS:-2000}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "${SOUK_PRODUCTS:-100000}" --users 20000 \
    --sessions "${SOUK_SESSIONS:-20000}" >&2
fi
if [[ ! -f $work/index/manifest.json ]]; then
  /usr/bin/time -f "index: %e s, %M KB peak" "$souk" index --catalog "$work/shop/catalog.jsonl" \
    --out "$work/index" --model "$model" --set vectors.backend=hnsw >&2
fi
if [[ ! -f $work/interactions.txt ]]; then
  scripts/demo-interactions.sh "$work/shop/events.jsonl" "$work/interactions.txt"
fi
if [[ ! -f $work/seqrec/model.safetensors ]]; then
  /usr/bin/time -f "seqrec training: %e s, %M KB peak" "$souk" train seqrec \
    --interactions "$work/interactions.txt" --out "$work/seqrec" \
    --epochs "${SOUK_SEQREC_EPOCHS:-5}" --no-plot > /dev/null
fi
# Users with a history, and the products they met, in file order.
awk '!seen[$1]++ {print "u" NR "\t" $1}' "$work/interactions.txt" > "$work/users.tsv"
awk '!seen[$2]++ {print "p" NR "\t" $2}' "$work/interactions.txt" > "$work/products.tsv"

cat > "$work/recommend.yaml" << EOF
server: {address: "127.0.0.1:0"}
index: {dir: "$work/index"}
encoder: {model_dir: "$model"}
vectors: {backend: hnsw}
recommend: {interactions: "$work/interactions.txt", seqrec_model: "$work/seqrec"}
logging: {level: warn}
EOF
echo "machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git rev-parse --short HEAD), $(wc -l < "$work/interactions.txt") interactions," \
  "$(wc -l < "$work/users.tsv") users, $(wc -l < "$work/products.tsv") products with a history," \
  "$(wc -l < "$work/seqrec/items.txt") items in the sequential model" |
  tee "$work/recommend-load.jsonl" >&2

start_soukd "$work/recommend.yaml"
for rpc in recommend similar; do
  list=$work/users.tsv
  [[ $rpc == similar ]] && list=$work/products.tsv
  load=("$souk" load --server "127.0.0.1:$port" --rpc "$rpc" --queries "$list" --duration-s 120
        --json)
  "${load[@]}" --clients 1 --requests 200 > /dev/null  # warm-up
  for clients in 1 2 4 8; do
    "${load[@]}" --clients "$clients" --requests "$requests"
  done
done | tee -a "$work/recommend-load.jsonl"
stop_soukd
