#!/usr/bin/env bash
# The feedback loop on the shop simulator: does a ranker learned from logs sell more than BM25F?
#   1. a demo shop (SOUK_PRODUCTS products, 20,000 by default) and its BM25F index;
#   2. round 0: soukd with BM25F only; `souk simulate` runs SOUK_LOG_SESSIONS sessions (20,000)
#      through it, logged by LogEvents into soukd's event log;
#   3. `souk retrain --force` learns v1 of the ranker from that log into a models directory
#      ("ltr-logged"; forced: the first move away from retrieval order is for the A/B test to
#      judge, docs/feedback.md), and `souk train ranker` another from the generator's own log (a
#      noisy, exploring policy: "ltr-shop"), for reference;
#   4. round 1: soukd with an A/B test of bm25 / ltr-logged / ltr-shop, a third of the users each:
#      `souk simulate` runs SOUK_AB_SESSIONS sessions per variant (10,000) and prints CTR and
#      conversion per variant with 95% intervals and each lift over bm25;
#   5. round 2: `souk retrain` on everything logged so far, judged against v1 and promoted unless
#      worse; an A/B test of bm25 against the models directory's current version;
#   6. round 3: the same once more on the logs of round 2: the loop keeps what it gained.
#
#   bench/quality/feedback-loop.sh [WORK_DIR]
#
# WORK_DIR keeps the shop, logs, models and soukd's output (else a temporary directory).
# Every simulation is bounded by its session counts; soukd listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -gt 1 || ${1:-} == --help ]]; then
  sed -n 2,21p "$0" >&2
  exit 2
fi
source bench/load/lib.sh
load_bench_init . "${1:-}"
log_sessions=${SOUK_LOG_SESSIONS:-20000}
ab_sessions=${SOUK_AB_SESSIONS:-10000}

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

retrain() {  # FLAGS...: souk retrain on the event log into $work/models, its summary lines
  "$souk" retrain --config "$work/souk.yaml" --models "$work/models" "$@" 2> /dev/null |
    grep -a -E "^(held-out|promoted|not promoted|v[0-9])" || true
}

echo "machine: $(nproc) vCPU, commit $(git rev-parse --short HEAD)" >&2
rm -rf "$work/events" "$work/models"
mkdir -p "$work/models"
serve round0 "bm25="
echo "== round 0: BM25F serves $log_sessions logged sessions"
simulate "$log_sessions" 1
stop_soukd "round 0"

echo "== training"
retrain --force
train "$work/shop/events.jsonl" "$work/ltr-shop.json"

serve round1 "bm25=" "ltr-logged=$work/models/v1/ranker.json" "ltr-shop=$work/ltr-shop.json"
echo "== round 1: A/B, $ab_sessions sessions per variant"
simulate "$ab_sessions" 2
stop_soukd "round 1"

echo "== round 2: retrained on all logs, judged against v1, A/B again"
retrain
serve round2 "bm25=" "ltr-logged-2=$work/models"
simulate "$ab_sessions" 3
stop_soukd "round 2"

echo "== round 3: retrained again, judged against the current version, A/B again"
retrain
serve round3 "bm25=" "ltr-logged-3=$work/models"
simulate "$ab_sessions" 4
stop_soukd "round 3"
