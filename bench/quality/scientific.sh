#!/usr/bin/env bash
# Text-initialised against id-only item embeddings on Amazon Industrial & Scientific
# (../shared/data/amazon-scientific, the UniSRec files): leave-one-out with full ranking over all
# items, every user's test item held out (the history of Scientific.test.inter), the rest the
# training file. The sequential model is trained twice with `souk train seqrec` defaults, once
# with --item-text (each item's title, category and brand) embedded by MODEL_DIR, and each is
# scored alone and in the default blend with co-visitation; co-visitation alone for reference.
# docs/recommend.md.
#
#   bench/quality/scientific.sh MODEL_DIR [BUILD_DIR] [WORK_DIR]
#
# MODEL_DIR: a text encoder directory (`souk train finetune`, docs/training.md). WORK_DIR keeps
# the split, the models and the runs (else a temporary directory, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -lt 1 || $# -gt 3 ]]; then
  sed -n 2,14p "$0" >&2
  exit 2
fi
encoder=$(realpath "$1")
build=${2:-build/release}
souk=$build/src/apps/souk
[[ -x $souk ]] || { echo "no $souk: run 'make build' first" >&2; exit 1; }
data=${SOUK_SHARED_DATA:-../shared/data}/amazon-scientific
[[ -f $data/Scientific.test.inter ]] || { echo "no $data/Scientific.test.inter" >&2; exit 1; }
if [[ $# -ge 3 ]]; then
  work=$3
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# Item indices -> ASINs; each test line's history -> `user item` lines, its item -> qrels.
awk -F'\t' -v qrels="$work/test-qrels.tsv" '
  NR == FNR { asin[$2] = $1; next }
  FNR == 1 { print "query_id\tquery\tproduct_uid\trelevance" > qrels; next }
  { n = split($2, h, " "); for (i = 1; i <= n; ++i) print $1, asin[h[i]]
    print $1 "\t" $1 "\t" asin[$3] "\t1" > qrels }' \
  "$data/Scientific.item2index" "$data/Scientific.test.inter" > "$work/train.txt"
tail -n +2 "$data/Scientific.text" > "$work/items.tsv"

score() {
  "$souk" eval --qrels "$work/test-qrels.tsv" --run "$1" --k 10 --recall-k 10 | sed "s|^run|$2|"
}
"$souk" recommend --method covisit --interactions "$work/train.txt" \
  --output "$work/run-covisit.txt" > /dev/null
score "$work/run-covisit.txt" "covisit"
for variant in id text; do
  extra=()
  [[ $variant == text ]] && extra=(--item-text "$work/items.tsv" --text-encoder "$encoder")
  start=$(date +%s)
  "$souk" train seqrec --interactions "$work/train.txt" --out "$work/seqrec-$variant" --no-plot \
    "${extra[@]}" > "$work/train-$variant.log" 2>&1
  echo "seqrec ($variant) training: $(( $(date +%s) - start )) s" >&2
  for method in seqrec blend; do
    "$souk" recommend --method "$method" --model "$work/seqrec-$variant" \
      --interactions "$work/train.txt" --output "$work/run-$variant-$method.txt" > /dev/null
    score "$work/run-$variant-$method.txt" "$method ($variant)"
  done
done
