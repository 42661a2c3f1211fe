#!/usr/bin/env bash
# Hot reload under load: `souk load` sends Search at a steady rate (open loop) while
# `souk admin reload --times N` reloads the snapshot N times in a row; the figure that matters is
# the load's error count, which must be 0 (in-flight requests finish on the old snapshot).
#
#   bench/load/reload-under-load.sh [MODEL_DIR] [WORK_DIR]
#
# Without MODEL_DIR the index is BM25F only; with it every product is embedded and each reload
# also loads the encoder and the vectors. A demo shop of SOUK_PRODUCTS products (20,000) is
# generated into WORK_DIR (kept when given). Environment: SOUK_RELOADS (50), SOUK_RATE in
# requests/s (50). The load is bounded by its duration (set from a first reload's time) and
# its request count.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -gt 2 || ${1:-} == --help ]]; then
  sed -n 2,13p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
model_dir=${1:-}
load_bench_init "${model_dir:-.}" "${2:-}"
reloads=${SOUK_RELOADS:-50}
rate=${SOUK_RATE:-50}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "${SOUK_PRODUCTS:-20000}" --users 5000 \
    --sessions 5000 >&2
fi
encoder=()
[[ -n $model_dir ]] && encoder=(--model "$model")
if [[ ! -f $work/index/manifest.json ]]; then
  "$souk" index --catalog "$work/shop/catalog.jsonl" --out "$work/index" "${encoder[@]}" >&2
fi
shop_queries "$work/shop" "$work/queries.tsv"
{
  echo "server: {address: \"127.0.0.1:0\"}"
  echo "index: {dir: \"$work/index\"}"
  [[ -n $model_dir ]] && echo "encoder: {model_dir: \"$model\"}"
  echo "logging: {level: warn}"
} > "$work/souk.yaml"

start_soukd "$work/souk.yaml"
admin=("$souk" admin reload --server "127.0.0.1:$port")
first_ms=$("${admin[@]}" | sed -nE 's/^reload 1: .* in ([0-9.]+) ms$/\1/p')
duration=$(awk -v n="$reloads" -v ms="$first_ms" 'BEGIN { printf "%d", n * ms / 1000 * 1.5 + 10 }')
echo "machine: $(nproc) vCPU, commit $(git rev-parse --short HEAD); one reload ${first_ms} ms;" \
  "load ${rate}/s for up to ${duration} s during ${reloads} reloads" >&2
"$souk" load --server "127.0.0.1:$port" --queries "$work/queries.tsv" --rate "$rate" \
  --clients 32 --duration-s "$duration" --requests $((rate * duration)) --json \
  > "$work/load.json" &
load_pid=$!
sleep 2
"${admin[@]}" --times "$reloads" > "$work/reloads.txt"
wait "$load_pid"
tail -1 "$work/reloads.txt"
awk '{ sub(/ ms$/, ""); if ($2 ~ /^[0-9]+:$/ && $NF + 0 > 0) print $NF }' "$work/reloads.txt" |
  sort -n | awk '{ a[NR] = $1 } END { printf "reload ms: median %s, max %s\n", a[int((NR + 1) / 2)], a[NR] }'
cat "$work/load.json"
stop_soukd "after ${reloads} reloads"
