// Sentiment training data: labeled reviews tokenized once, and the batches a run draws from them.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "souk/text/tokenizer.h"
#include "souk/train/labeled_reviews.h"

namespace souk::train::internal {

struct ReviewBatch {
  torch::Tensor input_ids;       ///< [B, T] int64, padded with the pad id to the longest row
  torch::Tensor attention_mask;  ///< [B, T] int64
  torch::Tensor labels;          ///< [B] int64
};

class ReviewExamples {
 public:
  /// Tokenizes `review` ([CLS] pieces [SEP], at most `max_length` ids). Precondition: labeled.
  void Add(const LabeledReview& review, const text::Tokenizer& tokenizer, int64_t max_length);

  int64_t size() const { return static_cast<int64_t>(ids_.size()); }
  const std::string& category(int64_t row) const;

  /// One epoch's batches: a permutation seeded by `seed`, cut to whole batches (the remainder,
  /// fewer than `batch_size` rows, waits for another epoch), sorted by length within windows
  /// of 50 batches so that a batch pads little, then the batches themselves shuffled.
  std::vector<std::vector<int64_t>> ShuffledBatches(int64_t batch_size, uint64_t seed) const;
  /// Every row once, shortest first, in batches of `batch_size` (the last may be smaller).
  std::vector<std::vector<int64_t>> LengthSortedBatches(int64_t batch_size) const;

  ReviewBatch Batch(const std::vector<int64_t>& rows, int64_t pad_id) const;

 private:
  std::vector<std::vector<int64_t>> ids_;
  std::vector<int64_t> labels_;
  std::vector<int32_t> category_of_;  ///< Index into categories_.
  std::vector<std::string> categories_;
};

}  // namespace souk::train::internal
