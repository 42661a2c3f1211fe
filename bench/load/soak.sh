#!/usr/bin/env bash
# Soak: soukd serving search at 70% of its capacity for SOUK_SOAK_S seconds (default 1800); its
# resident memory is sampled every 30 s and must not keep growing.
#   1. the shop, index and config of bench/load/overload.sh (run it first with the same
#      WORK_DIR, or this script builds them the same way);
#   2. capacity: closed loop at 8 clients;
#   3. open loop at 70% of that rate, 32 clients, for the soak's duration, RSS sampled meanwhile.
#
#   bench/load/soak.sh MODEL_DIR [WORK_DIR]
#
# Writes WORK_DIR/soak-rss.tsv (seconds, RSS KB) and prints one JSON object: souk load's
# figures, the RSS at 60 s (after warm-up) and at the end, and the growth between them in
# percent.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n 2,14p "$0" >&2
  exit 2
fi
[[ -f ${2:-}/souk.yaml ]] || SOUK_OVERLOAD_S=1 SOUK_WAITS=0 bench/load/overload.sh "$@" > /dev/null
source bench/load/lib.sh
load_bench_init "$@"
soak_s=${SOUK_SOAK_S:-1800}

start_soukd "$work/souk.yaml"
load=("$souk" load --server "127.0.0.1:$port" --queries "$work/queries.tsv" --json)
"${load[@]}" --requests 300 > /dev/null
qps=$("${load[@]}" --clients 8 --requests 3000 --duration-s 120 | sed -nE 's/.*"qps":([0-9.]+).*/\1/p')
rate=$(awk -v q="$qps" 'BEGIN {printf "%.0f", 0.7 * q}')
echo "soak: capacity $qps QPS, driving $rate QPS for $soak_s s, commit $(git rev-parse --short HEAD)" >&2

: > "$work/soak-rss.tsv"
(
  start=$(date +%s)
  while kill -0 "$server_pid" 2> /dev/null; do
    echo -e "$(($(date +%s) - start))\t$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")" \
      >> "$work/soak-rss.tsv"
    sleep 30
  done
) &
sampler=$!
json=$("${load[@]}" --clients 32 --rate "$rate" --duration-s "$soak_s" \
  --requests $((rate * soak_s)) --timeout-ms 10000)
kill "$sampler" 2> /dev/null || true
end_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
stop_soukd soak
warm_kb=$(awk '$1 >= 60 {print $2; exit}' "$work/soak-rss.tsv")
growth=$(awk -v a="$warm_kb" -v b="$end_kb" 'BEGIN {printf "%.2f", 100 * (b - a) / a}')
sed "s/}\$/,\"capacity_qps\":$qps,\"rss_60s_kb\":$warm_kb,\"rss_end_kb\":$end_kb,\"rss_growth_pct\":$growth}/" \
  <<< "$json"
