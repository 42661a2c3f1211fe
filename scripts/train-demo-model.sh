#!/usr/bin/env bash
# Trains the demo shop's encoder with `souk train` (tokenizer -> masked-LM pre-training ->
# contrastive fine-tuning on the shop's search sessions) and publishes it as MODEL_DIR once
# complete, so an interrupted run never leaves a half-written model behind. `make run` calls it
# when MODEL_DIR is missing; sized to take a few minutes on 2 cores (docs/training.md).
#
#   scripts/train-demo-model.sh SOUK SHOP_DIR MODEL_DIR
set -euo pipefail
if [[ $# -ne 3 ]]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
souk=$1 shop=$2 model=$3
work="$model.work"
rm -rf "$work"
mkdir -p "$work"
start=$(date +%s)

"$souk" train tokenizer --catalog "$shop/catalog.jsonl" --reviews "$shop/events.jsonl" \
  --out "$work/tokenizer" --vocab-size 4000
"$souk" train pretrain --tokenizer "$work/tokenizer" --catalog "$shop/catalog.jsonl" \
  --reviews "$shop/events.jsonl" --out "$work/pretrained" --layers 4 --hidden 256 --heads 4 \
  --max-length 32 --batch 64 --steps "${SOUK_DEMO_PRETRAIN_STEPS:-500}" --lr 5e-4 --pooling mean
"$souk" train finetune --model "$work/pretrained" --catalog "$shop/catalog.jsonl" \
  --sessions "$shop/events.jsonl" --out "$work/finetuned" --positive-min-grade 2 --heldout 0.1 \
  --batch 64 --epochs "${SOUK_DEMO_EPOCHS:-1}" --max-query-length 16 --max-product-length 32 \
  --lr 2e-4

rm -rf "$model"
mv "$work/finetuned" "$model"
mv "$work" "$model/training"   # tokenizer, pre-trained model and logs, for inspection
echo "demo model: $(( $(date +%s) - start )) s -> $model" >&2
