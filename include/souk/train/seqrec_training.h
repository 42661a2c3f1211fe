// `souk train seqrec`: the sequential recommender (model/seqrec.h, SASRec) trained on users'
// item histories to predict each next item.
//
// Loss: at every position of every history, cross-entropy of the next item against all items
// (full softmax; Klenitskiy & Vasilev, RecSys 2023, found it lifts SASRec above BERT4Rec, where
// SASRec's original one-negative binary loss falls below). Each user contributes the newest
// max_length + 1 items of their history per epoch.
//
// Validation: up to `validation_users` users with three items or more (a seeded choice) lose
// their newest item to evaluation: after every epoch the model ranks all items as their next
// one (their own history excluded, as `souk recommend` does), and HR@10 / NDCG@10 of the held
// item decide the best epoch, which is the model kept; training stops after `patience` epochs
// without gain. Leave-one-out, full ranking: the protocol of docs/recommend.md.
//
// Output directory: the best model (config.json, model.safetensors, items.txt), checkpoint.pt,
// metrics.jsonl, the curve PNGs and eval.json (the best epoch's metrics).
// Thread-safety: one run per output directory at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/model/seqrec_config.h"
#include "souk/train/optimization.h"
#include "souk/train/runtime.h"

namespace souk::train {

struct SeqRecTrainingOptions {
  std::string interactions;  ///< `user item` lines (recommend/interactions.h).
  std::string out_dir;
  /// The architecture; num_items is set from the data.
  model::SeqRecConfig model;
  int64_t batch_size = 128;  ///< Users per step.
  int64_t epochs = 20;
  int64_t patience = 3;             ///< Epochs without a better NDCG@10 before stopping.
  int64_t validation_users = 4000;  ///< 0: no validation; every epoch is kept.
  /// Items each step's softmax runs over besides the targets, drawn uniformly (sampled
  /// softmax); 0: every item (full softmax).
  int64_t negatives = 0;
  /// `item<TAB>text` lines (docs/formats/item-text.md) and a text encoder's model directory:
  /// item embeddings start from the items' text (src/train/item_text_init_internal.h). Both or
  /// neither.
  std::string item_text;
  std::string text_encoder;
  OptimizerOptions optimizer{.learning_rate = 1e-3, .weight_decay = 0, .warmup_fraction = 0.01};
  RuntimeOptions runtime;
  absl::Status Validate() const;
};

struct SeqRecEpoch {
  int64_t epoch = 0;
  double train_loss = 0;
  std::map<std::string, double> validation;  ///< "hr@10", "ndcg@10"
};

struct SeqRecTrainingResult {
  std::vector<SeqRecEpoch> history;  ///< One entry per epoch (0: before training).
  int64_t best_epoch = 0;
  size_t users = 0;
  size_t items = 0;
  size_t interactions = 0;
  size_t validation_users = 0;
  int64_t parameters = 0;
  size_t text_initialized_items = 0;  ///< Items whose embedding started from their text.
  double seconds = 0;
};

absl::StatusOr<SeqRecTrainingResult> RunSeqRecTraining(const SeqRecTrainingOptions& options);

}  // namespace souk::train
