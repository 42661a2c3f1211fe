#!/usr/bin/env bash
# BM25F quality on the Home Depot search relevance data (../shared/data/homedepot): indexes the
# 54,667 product titles, runs the 3,558 dev queries (full ranking, top 100) and scores NDCG@10
# and Recall@100 next to a seeded random ranking of the same catalog (`make quality`).
# Protocol: unjudged = 0, gain = relevance - 1, Recall over products graded >= 2.5.
#
#   bench/quality/homedepot-bm25.sh [BUILD_DIR] [extra souk index/search flags, e.g. --set lexical.k1=0.9]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
shift || true
data=${SOUK_SHARED_DATA:-../shared/data}/homedepot
souk=$build/src/apps/souk
[[ -f $data/products.tsv ]] || { echo "no Home Depot data in $data" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$souk" index --catalog "$data/products.tsv" --out "$work/index" "$@"
# The qrels hold one line per judged pair: take each query once, in file order.
tail -n +2 "$data/dev-qrels.tsv" | awk -F'\t' '!seen[$1]++ {print $1 "\t" $2}' > "$work/queries.tsv"
"$souk" search --index "$work/index" --queries "$work/queries.tsv" --k 100 --output "$work/run.txt" "$@"
"$souk" eval --qrels "$data/dev-qrels.tsv" --run "$work/run.txt" --k 10 --recall-k 100 \
  --gain-offset 1 --relevant-grade 2.5 --random-catalog "$data/products.tsv" --seed 1
