// SeqRecConfig: the architecture of the sequential recommender (model/seqrec.h), as the
// `config.json` of a seqrec model directory (docs/formats/seqrec-model.md) describes it.
//
// The model is SASRec (Kang & McAuley 2018, "Self-Attentive Sequential Recommendation"): item and
// position embeddings, causal self-attention blocks, and scores as dot products with the same
// item embeddings. Item ids are 1..num_items; 0 is padding.
// Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::model {

struct SeqRecConfig {
  int64_t num_items = 0;     ///< Items the model knows (ids 1..num_items).
  int64_t hidden_size = 64;  ///< Width of the item embeddings and every block.
  int64_t num_layers = 2;    ///< Self-attention blocks.
  int64_t num_heads = 2;     ///< Must divide hidden_size.
  int64_t max_length = 50;   ///< Most recent items the model reads.
  double dropout = 0.2;      ///< On embeddings, attention and feed-forward (training only).
  double layer_norm_eps = 1e-8;
  double initializer_range = 0.02;  ///< Stddev of the initial weights.

  /// INVALID_ARGUMENT naming the first key out of range.
  absl::Status Validate() const;

  /// Parses and validates config.json text; `source` (the path) prefixes errors. Unknown keys
  /// are errors naming the key.
  static absl::StatusOr<SeqRecConfig> FromJson(std::string_view text, std::string_view source);
  static absl::StatusOr<SeqRecConfig> Load(const std::string& path);
  /// config.json text, with "model_type": "souk_sasrec".
  std::string ToJson() const;
  /// Writes ToJson() to `path` atomically.
  absl::Status Save(const std::string& path) const;
};

}  // namespace souk::model
