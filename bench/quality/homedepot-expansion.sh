#!/usr/bin/env bash
# Document expansion on the Home Depot titles (../shared/data/homedepot), measured with and
# without it on the 3,558 dev queries (protocol as `make quality`: full ranking to depth 100,
# unjudged = 0, gain = relevance - 1, Recall over products graded >= 2.5):
#   1. a SentencePiece word model over the titles' analyzed, unstemmed terms (one piece per
#      word, so every prediction is a whole word),
#   2. a two-layer BERT pre-trained as a masked LM on the titles alone (no query is seen),
#   3. the index without and with `souk index --expander` (docs/search.md, "Document expansion"),
#   4. each searched with the default BM25F settings and, for the expanded index, the expansion
#      field's weight at each of SOUK_EXPANSION_WEIGHTS (applied at load: no reindexing).
# Queries are split by query id into an odd half (to choose settings on) and an even half (to
# report on); every line names its half.
#
#   bench/quality/homedepot-expansion.sh [BUILD_DIR] [WORK_DIR]
#
# About 15 minutes on 2 cores (pre-training 11). Models, indexes and runs stay in WORK_DIR when
# given (else a temporary directory, removed at the end). Knobs (environment):
# SOUK_EXPANSION_STEPS (3000), SOUK_EXPANSION_WEIGHTS ("0.1 0.25 0.5"), SOUK_EXPANSION_SET
# (extra --set flags for `souk index`, e.g. "expansion.terms=5").
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
data=${SOUK_SHARED_DATA:-../shared/data}/homedepot
souk=$build/src/apps/souk
[[ -x $souk ]] || { echo "no $souk: run 'make build' first" >&2; exit 1; }
[[ -f $data/products.tsv ]] || { echo "no Home Depot data in $data" >&2; exit 1; }
if [[ $# -ge 2 ]]; then
  work=$2
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
steps=${SOUK_EXPANSION_STEPS:-3000}
weights=${SOUK_EXPANSION_WEIGHTS:-0.1 0.25 0.5}
index_set=()
for s in ${SOUK_EXPANSION_SET:-}; do index_set+=(--set "$s"); done

start=$(date +%s)
if [[ ! -f $work/mlm/model.safetensors ]]; then
  "$souk" train tokenizer --catalog "$data/products.tsv" --out "$work/tokenizer" \
    --vocab-size 16000 --model-type word --analyze --no-stem --seed 42
  "$souk" train pretrain --tokenizer "$work/tokenizer" --catalog "$data/products.tsv" \
    --out "$work/mlm" --layers 2 --hidden 256 --heads 4 --intermediate 1024 --max-length 40 \
    --batch 64 --steps "$steps" --lr 5e-4 --seed 42 --log-every 500 --no-plot
fi
"$souk" index --catalog "$data/products.tsv" --out "$work/plain"
"$souk" index --catalog "$data/products.tsv" --out "$work/expanded" --expander "$work/mlm" \
  "${index_set[@]}"

# The qrels hold one line per judged pair: each query once, in file order, then the halves.
tail -n +2 "$data/dev-qrels.tsv" | awk -F'\t' '!seen[$1]++ {print $1 "\t" $2}' \
  > "$work/queries.tsv"
awk -F'\t' '$1 % 2 == 1' "$work/queries.tsv" > "$work/queries-odd.tsv"
awk -F'\t' '$1 % 2 == 0' "$work/queries.tsv" > "$work/queries-even.tsv"

# One run: INDEX NAME [--set ...]; prints its scores on both halves and all queries.
evaluate() {
  local index=$1 name=$2
  shift 2
  "$souk" search --index "$work/$index" --queries "$work/queries.tsv" --k 100 \
    --output "$work/run-$name.txt" --tag "$name" "$@" 2> "$work/search-$name.log"
  for half in odd even all; do
    local qrels=$work/qrels-$half.tsv
    if [[ ! -f $qrels ]]; then
      if [[ $half == all ]]; then
        cp "$data/dev-qrels.tsv" "$qrels"
      else
        local mod=$([[ $half == odd ]] && echo 1 || echo 0)
        awk -F'\t' -v m="$mod" 'NR == 1 || $1 % 2 == m' "$data/dev-qrels.tsv" > "$qrels"
      fi
    fi
    printf '%-28s %-4s ' "$name" "$half"
    "$souk" eval --qrels "$qrels" --run "$work/run-$name.txt" --k 10 --recall-k 100 \
      --gain-offset 1 --relevant-grade 2.5 | tr '\n' ' '
    echo
  done
}

evaluate plain bm25f
for w in $weights; do
  evaluate expanded "expansion-w$w" --set "lexical.fields.expansion.weight=$w"
done
echo "homedepot-expansion: $(( $(date +%s) - start )) s; models, indexes and runs in $work" >&2
