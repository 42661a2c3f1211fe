// ServingConfig: how Souk turns a BERT's output into one embedding, read from `souk.json` beside
// the Hugging Face files of a model directory:
//   {"pooling": "cls" | "mean" | "weighted_mean" | "pooler", "normalize": true, "max_length": 128,
//    "distinct_tokens": false, "length_pivot": false}
// Every key is optional (defaults below); unknown keys and wrong types are errors naming the key,
// as everywhere in Souk's configuration.
// Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::model {

struct BertConfig;

/// How token states become one vector.
enum class Pooling {
  kCls,     ///< the final hidden state of [CLS] (Devlin et al. 2019, section 3)
  kMean,    ///< mean of the final hidden states over non-padding tokens (Reimers & Gurevych 2019)
  kPooler,  ///< BERT's pooler: tanh(W h_[CLS] + b), needs pooler.dense.* weights
  /// sum_t w(id_t) h_t / sum_t w(id_t) over non-padding tokens, w = exp of a learned per-token
  /// log weight ("pooling.token_log_weights" in model.safetensors, initialized to log IDF): each
  /// token state has the norm LayerNorm gives it, so plain mean pooling cannot let a rare word
  /// outweigh "in." or "x"; this can (the SIF idea of Arora et al. 2017, learned end to end).
  kWeightedMean,
};

/// What a text is to a model with a length pivot (ServingConfig::length_pivot): the query side or
/// the product side of a match. Models without one embed both alike.
enum class TextRole { kQuery, kProduct };

/// "cls", "mean", "weighted_mean" or "pooler".
std::string_view PoolingName(Pooling pooling);
/// The pooling named `name`, or nullopt.
std::optional<Pooling> ParsePooling(std::string_view name);

struct ServingConfig {
  Pooling pooling = Pooling::kCls;  ///< see Pooling
  bool normalize = true;            ///< L2-normalize embeddings (cosine = dot product)
  int64_t max_length = 128;         ///< tokens per input, [CLS] and [SEP] included; longer is cut
  /// weighted_mean only: a token id repeated n times in one input has each of its states
  /// weighted 1/n, so that it counts once, as a distinct word does. Product titles repeat units
  /// and separators ("3/4 in. x 3 in. x 8 ft."): counted each time, those pieces pull the
  /// embedding towards every title that repeats them (BM25 saturates term frequency for the
  /// same reason).
  bool distinct_tokens = false;
  /// weighted_mean only, with normalize: embeddings get one more component, the pivot
  /// p = exp(pooling.log_length_pivot) over the row's summed token weights for a product text
  /// and 0 for a query (TextRole). Normalized, a product's vector is then
  /// [sum_t w_t h_t, p] / norm: its length lowers its cosine only as it grows past p, the soft
  /// length normalization of BM25 (Singhal et al. 1996, pivoted normalization), where plain
  /// cosine divides by the full length and favours the shortest titles.
  bool length_pivot = false;

  /// INVALID_ARGUMENT naming the key: max_length must be at least 2 ([CLS] and [SEP]);
  /// distinct_tokens needs weighted_mean pooling; length_pivot needs weighted_mean and
  /// normalize.
  absl::Status Validate() const;
  /// Validate(), and max_length within the model's max_position_embeddings.
  absl::Status ValidateFor(const BertConfig& bert) const;

  /// Parses and validates souk.json text; `source` (the path) prefixes errors.
  static absl::StatusOr<ServingConfig> FromJson(std::string_view text, std::string_view source);
  /// Reads and parses the file `path` (NOT_FOUND when it is missing: callers may then use the
  /// defaults).
  static absl::StatusOr<ServingConfig> Load(const std::string& path);
  /// souk.json text with every key.
  std::string ToJson() const;
  /// Writes ToJson() to `path` atomically.
  absl::Status Save(const std::string& path) const;
};

}  // namespace souk::model
