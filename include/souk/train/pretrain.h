// `souk train pretrain`: masked-language-model pre-training of a BERT (Devlin et al. 2019) on
// unlabeled shop text, written as a Hugging Face model directory (BertForMaskedLM weights,
// which the encoder serves and `souk train finetune` starts from).
//
// Per step: a batch of corpus lines in a seeded per-epoch order, each masked 15% / 80-10-10
// (whole words, CJK words from the analyzer: masking.h), cross-entropy on the masked positions
// only, AdamW with warm-up and linear decay, gradient clipping. Everything random derives from
// (seed, step) or (seed, epoch), so a resumed run is identical to an uninterrupted one.
// A non-finite loss stops the run with the step number; the last checkpoint stays as it was.
//
// Output directory: config.json, model.safetensors, the tokenizer file(s), souk.json,
// checkpoint.pt (model, optimizer and step), metrics.jsonl and the curve PNGs.
// Thread-safety: one run per output directory at a time.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "souk/model/bert_config.h"
#include "souk/model/serving_config.h"
#include "souk/train/corpus.h"
#include "souk/train/masking.h"
#include "souk/train/optimization.h"
#include "souk/train/runtime.h"

namespace souk::train {

struct PretrainOptions {
  CorpusOptions corpus;
  /// A directory with the tokenizer (spiece.model from `souk train tokenizer`, or vocab.txt).
  std::string tokenizer_dir;
  /// Optional: start from this model directory's weights (and architecture) instead of random.
  std::string init_model_dir;
  std::string out_dir;
  /// The architecture of a fresh model; vocab_size is taken from the tokenizer.
  model::BertConfig architecture;
  /// How the encoder will pool this model (souk.json); max_length bounds training sequences.
  model::ServingConfig serving;
  int64_t batch_size = 64;  ///< Sequences per step.
  int64_t steps = 2000;     ///< Optimizer steps of the whole run; 0 writes the initialized model.
  /// A fresh model's position and segment embeddings start at zero instead of random. BERT's
  /// random layers are near the identity at initialization, so every output state is then about
  /// its own token's normalized embedding, and a weighted-mean pooled encoder starts as an
  /// IDF-weighted bag of (random, nearly orthogonal) token vectors: lexical matching before any
  /// training, which contrastive fine-tuning from scratch refines (bench/RESULTS.md). Random
  /// position vectors would add a component shared by all texts of a length instead.
  bool bag_of_words_init = false;
  OptimizerOptions optimizer;
  MaskingOptions masking;
  RuntimeOptions runtime;
  /// INVALID_ARGUMENT naming the field.
  absl::Status Validate() const;
};

struct PretrainResult {
  int64_t steps = 0;       ///< Steps done, counting resumed ones.
  double last_loss = 0;    ///< Mean loss of the last logged window.
  double seconds = 0;      ///< Wall time of this run.
  int64_t parameters = 0;  ///< Trainable parameters.
  bool finished = false;   ///< False when stop_after_step ended the run early.
};

absl::StatusOr<PretrainResult> RunPretraining(const PretrainOptions& options);

}  // namespace souk::train
