// `souk train sentiment`: fine-tunes a pre-trained BERT with a classification head on labeled
// reviews (negative / positive), the way Devlin et al. 2019 (section 4.1) fine-tune for
// single-sentence classification: BERT's pooler over [CLS], dropout, a linear layer, cross-entropy.
// The result is a Hugging Face `BertForSequenceClassification` directory that soukd loads to
// score incoming reviews (encoder/sentiment_classifier.h).
//
// Data: labeled_reviews.h; the training side of its fixed split trains, the held-out 20%
// measures (accuracy per category after every epoch). Unlabeled reviews (3-star demo ones) are
// skipped. The model written is the last epoch's: no choice is made on the held-out reviews.
// Batches are drawn in a seeded per-epoch order and grouped by length within windows of 50
// batches (less padding), so a resumed run is identical to an uninterrupted one.
//
// Output directory: config.json (architectures BertForSequenceClassification, id2label
// 0 negative / 1 positive), model.safetensors, the tokenizer file(s), souk.json, eval.json (the
// held-out accuracy, per category and per epoch), checkpoint.pt, metrics.jsonl, curves.
// Thread-safety: one run per output directory at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/train/optimization.h"
#include "souk/train/runtime.h"

namespace souk::train {

struct SentimentOptions {
  std::vector<std::string> reviews;  ///< .csv / .jsonl files as labeled_reviews.h reads them.
  std::string base_model_dir;        ///< A pre-trained model directory (souk train pretrain).
  std::string out_dir;
  int64_t max_length = 128;  ///< Tokens per review, [CLS] and [SEP] included; longer is cut.
  int64_t batch_size = 32;
  int64_t epochs = 3;
  OptimizerOptions optimizer;
  RuntimeOptions runtime;
  /// INVALID_ARGUMENT naming the field.
  absl::Status Validate() const;
};

/// Held-out accuracy of one category ("" for reviews without one).
struct CategoryAccuracy {
  std::string category;
  int64_t reviews = 0;
  int64_t correct = 0;
  double accuracy() const { return reviews == 0 ? 0 : static_cast<double>(correct) / reviews; }
};

struct SentimentEpoch {
  int64_t epoch = 0;
  double train_loss = 0;  ///< Mean over the epoch's steps.
  double heldout_accuracy = 0;
};

struct SentimentResult {
  int64_t train_reviews = 0;
  int64_t heldout_reviews = 0;
  double heldout_accuracy = 0;               ///< Of the model written (the last epoch).
  std::vector<CategoryAccuracy> categories;  ///< Of the model written, by category name.
  std::vector<SentimentEpoch> history;
  int64_t parameters = 0;
  double seconds = 0;
  bool finished = false;  ///< False when stop_after_step ended the run early.
};

absl::StatusOr<SentimentResult> RunSentimentTraining(const SentimentOptions& options);

}  // namespace souk::train
