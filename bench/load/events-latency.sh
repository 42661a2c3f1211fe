#!/usr/bin/env bash
# LogEvents latency and throughput over gRPC on a 100k-product shop: the feedback path that
# stores every event durably (RocksDB, feedback.event_log) and updates the aggregates.
#   1. a generated demo shop (`souk gen`) of SOUK_PRODUCTS products (default 100,000) and
#      SOUK_SESSIONS sessions (default 20,000) of events,
#   2. its index (BM25F; LogEvents needs no encoder),
#   3. soukd on loopback with an empty event log,
#   4. `souk load --rpc events` with the shop's events, SOUK_BATCH (16) per request, closed loop
#      at 1, 2, 4, 8, 16, 32 and 64 clients.
#
#   bench/load/events-latency.sh [WORK_DIR]
#
# Figures (one JSON object per run, with the batch size) go to stdout and
# WORK_DIR/events-load.jsonl. The shop and index stay in WORK_DIR when given and are reused by a
# rerun; the event log is emptied before each run of the script. Environment: SOUK_REQUESTS per
# run (2000). Every run is bounded by its request count and 120 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -gt 1 ]]; then
  sed -n 2,16p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init "" "${1:-}"
requests=${SOUK_REQUESTS:-2000}
batch=${SOUK_BATCH:-16}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "${SOUK_PRODUCTS:-100000}" --users 20000 \
    --sessions "${SOUK_SESSIONS:-20000}" >&2
fi
if [[ ! -f $work/index/manifest.json ]]; then
  "$souk" index --catalog "$work/shop/catalog.jsonl" --out "$work/index" >&2
fi
rm -rf "$work/events"
cat > "$work/souk.yaml" << EOF
server: {address: "127.0.0.1:0"}
index: {dir: "$work/index"}
feedback: {event_log: "$work/events"}
logging: {level: warn}
EOF
echo "machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git rev-parse --short HEAD), $(wc -l < "$work/shop/events.jsonl") events, $batch per request" |
  tee "$work/events-load.jsonl" >&2

start_soukd "$work/souk.yaml"
load=("$souk" load --server "127.0.0.1:$port" --rpc events --events "$work/shop/events.jsonl"
      --batch "$batch" --duration-s 120 --json)
"${load[@]}" --requests 100 > /dev/null  # warm-up: connections, RocksDB's first flushes
for clients in 1 2 4 8 16 32 64; do
  "${load[@]}" --clients "$clients" --requests "$requests" | sed "s/^{/{\"batch\":$batch,/" |
    tee -a "$work/events-load.jsonl"
done
stop_soukd
