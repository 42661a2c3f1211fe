#!/usr/bin/env bash
# Overload: soukd at twice its capacity sheds the excess and keeps the admitted calls fast.
#   1. a generated demo shop of SOUK_PRODUCTS products (default 20,000), indexed with every
#      product embedded by MODEL_DIR; soukd serves hybrid search with the query-embedding cache
#      off, so that every call runs the encoder;
#   2. unloaded: one client, closed loop (the latency to compare against);
#   3. capacity: closed loop at 8 clients (the QPS the server sustains);
#   4. overload: open loop at twice that rate, 64 clients, SOUK_OVERLOAD_S seconds (default 60),
#      once with each server.max_queue_wait_ms of SOUK_WAITS (default "0 P99/2": 0 = no bound on
#      the wait, P99/2 = half the unloaded p99, rounded up to a millisecond); soukd's resident
#      memory is read before and after each.
#
#   bench/load/overload.sh MODEL_DIR [WORK_DIR]
#
# One JSON object per run goes to stdout and WORK_DIR/overload.jsonl (souk load's fields, plus
# the phase, the max_queue_wait_ms and soukd's RSS in KB before and after). Every run is bounded
# by its request count and its duration.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n 2,17p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init "$@"
overload_s=${SOUK_OVERLOAD_S:-60}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "${SOUK_PRODUCTS:-20000}" --users 5000 \
    --sessions 5000 >&2
fi
if [[ ! -f $work/index/manifest.json ]]; then
  "$souk" index --catalog "$work/shop/catalog.jsonl" --out "$work/index" --model "$model" >&2
fi
shop_queries "$work/shop" "$work/queries.tsv"
cat > "$work/souk.yaml" << EOF
server: {address: "127.0.0.1:0"}
index: {dir: "$work/index"}
encoder: {model_dir: "$model", cache_entries: 0}
logging: {level: warn}
EOF
echo "machine: $(nproc) vCPU, commit $(git rev-parse --short HEAD)," \
  "$(wc -l < "$work/queries.tsv") distinct queries" | tee "$work/overload.jsonl" >&2

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }
field() { sed -nE "s/.*\"$1\":([0-9.]+).*/\1/p"; }
# souk load's JSON with the phase, the wait bound and the RSS around it added.
run() {
  local phase=$1 wait_ms=$2
  shift 2
  local before json
  before=$(rss_kb)
  json=$("$souk" load --server "127.0.0.1:$port" --queries "$work/queries.tsv" --json "$@")
  sed "s/^{/{\"phase\":\"$phase\",\"max_queue_wait_ms\":$wait_ms,\"rss_before_kb\":$before,/;
       s/}\$/,\"rss_after_kb\":$(rss_kb)}/" <<< "$json" | tee -a "$work/overload.jsonl"
}

start_soukd "$work/souk.yaml"
"$souk" load --server "127.0.0.1:$port" --queries "$work/queries.tsv" --requests 300 > /dev/null
unloaded=$(run unloaded 0 --clients 1 --requests 1000 --duration-s 120)
capacity=$(run capacity 0 --clients 8 --requests 3000 --duration-s 120)
stop_soukd capacity
p99=$(field p99_ms <<< "$unloaded")
qps=$(field qps <<< "$capacity")
rate=$(awk -v q="$qps" 'BEGIN {printf "%.0f", 2 * q}')
half_p99=$(awk -v p="$p99" 'BEGIN {h = p / 2; printf "%d", h == int(h) ? h : int(h) + 1}')
for wait_ms in ${SOUK_WAITS:-0 P99/2}; do
  [[ $wait_ms == P99/2 ]] && wait_ms=$half_p99
  start_soukd "$work/souk.yaml" --set "server.max_queue_wait_ms=$wait_ms"
  run overload "$wait_ms" --clients 64 --rate "$rate" --duration-s "$overload_s" \
    --requests $((rate * overload_s)) --timeout-ms 10000
  stop_soukd "max_queue_wait_ms $wait_ms"
done
