#!/usr/bin/env bash
# The full search pipeline on Home Depot-style data, trained from scratch on this machine:
#   1. a SentencePiece tokenizer on the product titles,
#   2. a one-layer BERT 1024 wide, initialized as a bag of words and not fine-tuned
#      (`finetune --epochs 0` only sets its log-IDF token weights): an encoder that never saw a
#      judged query, so the ranker learns from cosines as they will be on new queries,
#   3. the index: BM25F plus every product's embedding,
#   4. the LambdaMART ranker (`souk train ranker`) on TRAIN_QRELS over the served candidates
#      (BM25F top 100 + dense top 100, features of docs/ranking.md),
#   5. the served pipeline (`souk search`: hybrid candidates, ranker) for every TEST_QUERIES
#      line, top 100, as a TREC run in RUN.
#
#   bench/quality/homedepot.sh PRODUCTS TRAIN_QRELS TEST_QUERIES RUN [WORK_DIR]
#
# PRODUCTS: `product_uid<TAB>title` with a header (products.tsv); TRAIN_QRELS: the layout of
# dev-qrels.tsv (grades 1..3); TEST_QUERIES: `query_id<TAB>query`, no header. Models, index and
# logs stay in WORK_DIR when given (else a temporary directory, removed at the end). About 6
# minutes on 2 cores (bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage_end=18
source bench/quality/run_args.sh

seed=${SOUK_SEED:-42}
threads=${SOUK_THREADS:-0}
grades=(--gain-offset 1 --relevant-grade 2.5)  # Home Depot: 1 irrelevant .. 3 exact

start=$(date +%s)
"$souk" train tokenizer --catalog "$products" --out "$work/tokenizer" --vocab-size 2000 \
  --seed "$seed"
"$souk" train pretrain --tokenizer "$work/tokenizer" --catalog "$products" --out "$work/start" \
  --layers 1 --hidden 1024 --heads 8 --intermediate 1024 --max-length 32 --steps 0 \
  --bag-of-words-init --pooling mean --seed "$seed" --no-plot
"$souk" train finetune --model "$work/start" --catalog "$products" --qrels "$train_qrels" \
  --out "$work/encoder" --epochs 0 --pooling weighted_mean --heldout 0.1 \
  --max-query-length 16 --max-product-length 32 "${grades[@]}" --seed "$seed" \
  --threads "$threads" --no-plot
"$souk" index --catalog "$products" --out "$work/index" --model "$work/encoder" \
  --threads "${SOUK_THREADS:-2}"
serve=(--index "$work/index" --set "encoder.model_dir=$work/encoder"
       --set "encoder.threads=${SOUK_THREADS:-2}")
# Shallower trees, faster steps than the defaults: best of five settings on the held-out tenth.
"$souk" train ranker "${serve[@]}" --qrels "$train_qrels" --out "$work/ranker.json" \
  --lr 0.1 --max-depth 4 "${grades[@]}" --seed "$seed" --threads "$threads"
"$souk" search "${serve[@]}" --set "ranker.model=$work/ranker.json" --queries "$test_queries" \
  --k 100 --output "$run" --tag souk-hybrid-ranker
echo "homedepot: $(( $(date +%s) - start )) s; index, encoder and ranker in $work" >&2
