#!/usr/bin/env bash
# Rankers compared on the shop simulator with every user shopping on each of them in turn: one
# soukd per ranker, each on a fresh copy of WORK_DIR's event log (so each starts from the same
# history), driven by `souk simulate` with the same seed (so the same users come at the same
# times with the same draws). Unlike a split A/B, no ranker is lucky in the users it gets; the
# sessions differ only by what each ranker showed. Prints each ranker's CTR and CVR and its CVR
# lift over the first.
#
#   bench/quality/paired-ab.sh WORK_DIR SEED NAME=RANKER...
#
# WORK_DIR holds shop/ and index/ (and events/, the log to start from, if any), as
# bench/quality/feedback-loop.sh leaves them; RANKER is a ranker JSON, a `souk retrain` models
# directory, or "" for retrieval order. SOUK_SESSIONS sessions per ranker (10,000), over 7 days.
# Every simulation is bounded by its session count; soukd listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 3 || ${1:-} == --help ]]; then
  sed -n 2,14p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init . "$1"
seed=$2
shift 2
sessions=${SOUK_SESSIONS:-10000}
[[ -f $work/shop/manifest.json && -f $work/index/manifest.json ]] ||
  { echo "paired-ab.sh: $work needs shop/ and index/ (bench/quality/feedback-loop.sh)" >&2; exit 2; }

echo "machine: $(nproc) vCPU, commit $(git rev-parse --short HEAD), seed $seed, $sessions sessions" >&2
first_cvr=
for variant in "$@"; do
  name=${variant%%=*}
  rm -rf "$work/events-paired"
  [[ -d $work/events ]] && cp -r "$work/events" "$work/events-paired"
  {
    echo "server: {address: \"127.0.0.1:0\"}"
    echo "index: {dir: \"$work/index\"}"
    echo "ranker: {model: \"${variant#*=}\"}"
    echo "feedback: {event_log: \"$work/events-paired\", sync: false}"
    echo "logging: {level: warn}"
  } > "$work/paired.yaml"
  start_soukd "$work/paired.yaml"
  line=$("$souk" simulate --shop "$work/shop" --server "127.0.0.1:$port" --sessions "$sessions" \
    --seed "$seed" --days 7 2> /dev/null | grep -a "^default ")
  stop_soukd "$name"
  read -r _ n ctr _ _ cvr _ <<< "$line"
  cvr=${cvr%\%}
  if [[ -z $first_cvr ]]; then
    first_cvr=$cvr
    lift=""
  else
    lift=$(awk -v b="$cvr" -v a="$first_cvr" 'BEGIN { printf "  CVR lift %+.1f%%", 100 * (b / a - 1) }')
  fi
  printf '%-16s %6s sessions  CTR %-7s CVR %s%%%s\n' "$name" "$n" "$ctr" "$cvr" "$lift"
done
rm -rf "$work/events-paired"
