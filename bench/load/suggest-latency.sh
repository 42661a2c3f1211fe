#!/usr/bin/env bash
# Suggest latency and throughput over gRPC on a 100k-product shop:
#   1. a generated demo shop (`souk gen`) of SOUK_PRODUCTS products (default 100,000) and 20,000
#      sessions of events,
#   2. its index (BM25F),
#   3. soukd on loopback with an empty event log, rebuilding its suggestions every second,
#   4. the shop's events through LogEvents (500 per request): its search events are the queries
#      Suggest completes, beside the catalog's phrases,
#   5. `souk load --rpc suggest` with the shop's distinct queries typed character by character
#      (request i: the first 1 + i mod 12 characters), closed loop at 1, 2, 4, 8 and 16 clients.
#
#   bench/load/suggest-latency.sh [WORK_DIR]
#
# Figures (one JSON object per run) go to stdout and WORK_DIR/suggest-load.jsonl. The shop and
# index stay in WORK_DIR when given and are reused by a rerun; the event log is emptied before
# each run of the script. Environment: SOUK_REQUESTS per run (5000). Every run is bounded by its
# request count and 120 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -gt 1 ]]; then
  sed -n 2,17p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init "" "${1:-}"
requests=${SOUK_REQUESTS:-5000}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "${SOUK_PRODUCTS:-100000}" --users 20000 \
    --sessions 20000 >&2
fi
if [[ ! -f $work/index/manifest.json ]]; then
  "$souk" index --catalog "$work/shop/catalog.jsonl" --out "$work/index" >&2
fi
shop_queries "$work/shop" "$work/queries.tsv"
rm -rf "$work/events"
cat > "$work/souk.yaml" << YAML
server: {address: "127.0.0.1:0"}
index: {dir: "$work/index"}
feedback: {event_log: "$work/events", sync: false}
suggest: {refresh_s: 1}
logging: {level: info}  # soukd.out: each build of the suggestions that changed them
YAML
events=$(wc -l < "$work/shop/events.jsonl")
echo "machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git rev-parse --short HEAD), $events events, $(wc -l < "$work/queries.tsv") queries" |
  tee "$work/suggest-load.jsonl" >&2

start_soukd "$work/souk.yaml"
"$souk" load --server "127.0.0.1:$port" --rpc events --events "$work/shop/events.jsonl" \
  --batch 500 --requests $(( (events + 499) / 500 )) --duration-s 300 > /dev/null
sleep 3  # the next rebuild counts them
load=("$souk" load --server "127.0.0.1:$port" --rpc suggest --queries "$work/queries.tsv"
      --duration-s 120 --json)
"${load[@]}" --requests 500 > /dev/null  # warm-up: connections
for clients in 1 2 4 8 16; do
  "${load[@]}" --clients "$clients" --requests "$requests" | tee -a "$work/suggest-load.jsonl"
done
grep "\[suggest\]" "$work/soukd.out" >&2 || true
stop_soukd
