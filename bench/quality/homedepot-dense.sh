#!/usr/bin/env bash
# Dense retrieval on Home Depot-style data, trained from scratch on this machine:
#   1. a SentencePiece word model over the titles as Souk's analyzer makes them (stemmed, units
#      canonical): one token per index term, and the encoder reads text the same way,
#   2. a BERT 1024 wide with no transformer layer (a static embedding model: each token's state
#      is the LayerNorm of its embeddings; SOUK_DENSE_LAYERS for more), initialized as a bag of
#      words (position embeddings at zero: the untrained encoder is already an IDF-weighted bag
#      of nearly orthogonal token vectors; masked-LM pre-training on the titles when
#      SOUK_DENSE_PRETRAIN_STEPS > 0: it bought nothing for retrieval here, bench/RESULTS.md),
#   3. contrastive fine-tuning on TRAIN_QRELS (query, product, grade) with BM25 hard negatives,
#      plus pseudo queries cropped from the titles, weighted-mean pooling over distinct tokens
#      with weights started at the square root of IDF and a length pivot on product vectors
#      (BM25's weighting and length normalization, in a cosine), early stopping on a held-out
#      tenth of the training queries (epoch 0, the untrained start, competes),
#   4. the top 100 products by cosine for every TEST_QUERIES line (its terms spelling-corrected
#      against the titles' first, as Souk's search corrects them), as a TREC run in RUN.
#
#   bench/quality/homedepot-dense.sh PRODUCTS TRAIN_QRELS TEST_QUERIES RUN [WORK_DIR]
#
# PRODUCTS: `product_uid<TAB>title` with a header (products.tsv); TRAIN_QRELS: the layout of
# dev-qrels.tsv; TEST_QUERIES: `query_id<TAB>query`, no header. Models and logs stay in WORK_DIR
# when given (else a temporary directory, removed at the end). Sized to finish within 60 minutes
# on 2 cores (bench/RESULTS.md); the knobs below (environment) trade time for quality.
set -euo pipefail
cd "$(dirname "$0")/../.."
usage_end=16
source bench/quality/run_args.sh

# The tokenizer reads the analyzer's terms (stemmed, units canonical) when SOUK_DENSE_ANALYZE is
# 1, one piece per term with a word model (SOUK_DENSE_MODEL_TYPE word; unigram: sub-words).
analyze=()
[[ ${SOUK_DENSE_ANALYZE:-1} == 1 ]] && analyze=(--analyze)
model_type=${SOUK_DENSE_MODEL_TYPE:-word}
vocab=${SOUK_DENSE_VOCAB:-16000}
idf_power=${SOUK_DENSE_IDF_POWER:-0.5}
# Product vectors get a learned length pivot started at this many token states (0: none).
length_pivot=${SOUK_DENSE_LENGTH_PIVOT:-8}
pretrain_steps=${SOUK_DENSE_PRETRAIN_STEPS:-0}
epochs=${SOUK_DENSE_EPOCHS:-1}
layers=${SOUK_DENSE_LAYERS:-0}
hidden=${SOUK_DENSE_HIDDEN:-1024}
heads=${SOUK_DENSE_HEADS:-8}
intermediate=${SOUK_DENSE_INTERMEDIATE:-1024}
pseudo_queries=${SOUK_DENSE_PSEUDO_QUERIES:-20000}
learning_rate=${SOUK_DENSE_LR:-5e-5}
seed=${SOUK_DENSE_SEED:-42}
# Count a token repeated in one text once (souk.json distinct_tokens): 1 or 0.
distinct_tokens=()
[[ ${SOUK_DENSE_DISTINCT_TOKENS:-1} == 1 ]] && distinct_tokens=(--distinct-tokens)
common=(--seed "$seed" --threads "${SOUK_DENSE_THREADS:-0}")

start=$(date +%s)
"$souk" train tokenizer --catalog "$products" --out "$work/tokenizer" --vocab-size "$vocab" \
  --model-type "$model_type" "${analyze[@]}" --seed "$seed"
"$souk" train pretrain --tokenizer "$work/tokenizer" --catalog "$products" --out "$work/pretrained" \
  --layers "$layers" --hidden "$hidden" --heads "$heads" --intermediate "$intermediate" \
  --max-length 32 --batch 64 \
  --steps "$pretrain_steps" --bag-of-words-init --lr 5e-4 --pooling mean "${common[@]}"
"$souk" train finetune --model "$work/pretrained" --catalog "$products" --qrels "$train_qrels" \
  --out "$work/finetuned" --heldout 0.1 --positive-min-grade 2 --gain-offset 1 \
  --relevant-grade 2.5 --batch 64 --hard-negatives 1 --pseudo-queries "$pseudo_queries" \
  --epochs "$epochs" --patience 2 --pooling weighted_mean "${distinct_tokens[@]}" \
  --idf-power "$idf_power" --length-pivot "$length_pivot" \
  --max-query-length 16 --max-product-length 32 --temperature 0.05 --lr "$learning_rate" "${common[@]}"
"$souk" dense --model "$work/finetuned" --catalog "$products" --queries "$test_queries" --k 100 \
  --output "$run" --tag souk-dense
echo "homedepot-dense: $(( $(date +%s) - start )) s; model in $work/finetuned" >&2
