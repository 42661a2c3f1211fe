#!/usr/bin/env bash
# The feedback loop on the shop simulator: does a ranker learned from logs sell more than BM25F?
#   1. a demo shop (SOUK_PRODUCTS products, 20,000 by default) and its BM25F index;
#   2. soukd with BM25F only: `souk simulate` runs SOUK_LOG_SESSIONS sessions (5,000) through it,
#      and their events are exported from the event log (`souk events export`);
#   3. `souk train ranker` learns a ranker from those logs ("ltr-logged"), and another from the
#      generator's own log (a noisy, exploring policy: "ltr-shop"), for reference;
#   4. soukd with an A/B test of bm25 / ltr-logged / ltr-shop, a third of the users each:
#      `souk simulate` runs SOUK_AB_SESSIONS sessions per variant (3,000) and prints CTR and
#      conversion per variant with 95% intervals and each lift over bm25;
#   5. the loop again: a ranker retrained on everything logged so far ("ltr-logged-2", which
#      now includes what ltr-logged showed), A/B against bm25.
#
#   bench/quality/feedback-loop.sh [WORK_DIR]
#
# WORK_DIR keeps the shop, logs, rankers and soukd's output (else a temporary directory).
# Every simulation is bounded by its session counts; soukd listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -gt 1 || ${1:-} == --help ]]; then
  sed -n 2,17p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init . "${1:-}"
log_sessions=${SOUK_LOG_SESSIONS:-5000}
ab_sessions=${SOUK_AB_SESSIONS:-3000}

if [[ ! -f $work/shop/manifest.json ]]; then
  "$souk" gen --out "$work/shop" --products "${SOUK_PRODUCTS:-20000}" --users 5000 \
    --sessions 5000 >&2
fi
[[ -f $work/index/manifest.json ]] ||
  "$souk" index --catalog "$work/shop/catalog.jsonl" --out "$work/index" >&2

# soukd with `experiment` variants NAME=RANKER ... ("" ranker: retrieval order) on one log.
serve() {
  {
    echo "server: {address: \"127.0.0.1:0\"}"
    echo "index: {dir: \"$work/index\"}"
    echo "feedback: {event_log: \"$work/events\", sync: false}"
    echo "experiment: {salt: \"$1\", variants: ["
    shift
    local sep=""
    for v in "$@"; do
      echo "  $sep{name: \"${v%%=*}\", ranker: \"${v#*=}\"}"
      sep=","
    done
    echo "]}"
    echo "logging: {level: warn}"
  } > "$work/souk.yaml"
  start_soukd "$work/souk.yaml"
}
simulate() {  # SESSIONS_PER_VARIANT SEED
  "$souk" simulate --shop "$work/shop" --server "127.0.0.1:$port" --sessions "$1" --seed "$2" \
    --days 7
}
train() {  # EVENTS OUT
  echo "$(basename "$2"): $("$souk" train ranker --index "$work/index" --sessions "$1" --out "$2" 2>&1 |
    grep -a "^  held-out ndcg@10:" | head -1 | xargs)"
}

echo "machine: $(nproc) vCPU, commit $(git rev-parse --short HEAD)" >&2
rm -rf "$work/events"
serve round0 "bm25="
echo "== round 0: BM25F serves $log_sessions logged sessions"
simulate "$log_sessions" 1
"$souk" events export --log "$work/events" --out "$work/logged-1.jsonl"
stop_soukd "round 0"

echo "== training"
train "$work/logged-1.jsonl" "$work/ltr-logged.json"
train "$work/shop/events.jsonl" "$work/ltr-shop.json"

serve round1 "bm25=" "ltr-logged=$work/ltr-logged.json" "ltr-shop=$work/ltr-shop.json"
echo "== round 1: A/B, $ab_sessions sessions per variant"
simulate "$ab_sessions" 2
"$souk" events export --log "$work/events" --out "$work/logged-2.jsonl"
stop_soukd "round 1"

echo "== round 2: retrained on all logs, A/B again"
train "$work/logged-2.jsonl" "$work/ltr-logged-2.json"
serve round2 "bm25=" "ltr-logged-2=$work/ltr-logged-2.json"
simulate "$ab_sessions" 3
stop_soukd "round 2"
