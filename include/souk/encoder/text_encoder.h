// TextEncoder: text -> embedding with a BERT from a Hugging Face model directory.
//
// The facade the engine uses; no libtorch type appears here (the model lives behind a pimpl), so
// including this header costs nothing. Loading reads config.json, model.safetensors, the
// tokenizer (vocab.txt or spiece.model) and souk.json (pooling, normalization, max length;
// docs/models.md). Encode() serves single queries: repeats come from an LRU cache, a query
// with no other in flight runs at once on the caller's thread, and overlapping callers are
// coalesced by a dynamic batcher into one forward pass. EncodeBatch()
// serves indexing: it sorts texts by length and runs batches directly.
//
// Outputs are identical whether a text is encoded alone, batched with others, or padded: the
// attention mask removes padding exactly.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/encoder/dynamic_batcher.h"
#include "souk/encoder/encoder_options.h"
#include "souk/model/serving_config.h"
#include "souk/text/analyzer.h"

namespace souk::encoder {

class TextEncoder {
 public:
  using Clock = std::chrono::steady_clock;

  static absl::StatusOr<std::unique_ptr<TextEncoder>> Create(const EncoderOptions& options);
  ~TextEncoder();

  /// One query, through the cache and the batcher. RESOURCE_EXHAUSTED when the batcher's queue
  /// is full, DEADLINE_EXCEEDED when `deadline` passes before the text's batch starts.
  absl::StatusOr<std::vector<float>> Encode(std::string_view text,
                                            Clock::time_point deadline = Clock::time_point::max());
  /// One query given as its terms, as analyzer() makes them and perhaps rewritten since (spelling
  /// corrected against an index's terms); through the cache and the batcher like Encode(), which
  /// for such an encoder is EncodeTerms(analyzer()->Analyze(text)). FAILED_PRECONDITION when the
  /// model does not read analyzed text.
  absl::StatusOr<std::vector<float>> EncodeTerms(
      const std::vector<std::string>& terms, Clock::time_point deadline = Clock::time_point::max());
  /// Many texts at once (indexing), in batches of `batch_size` sorted by length; no cache.
  /// `role`: product texts, or queries (they differ only for a model with a length pivot).
  absl::StatusOr<std::vector<std::vector<float>>> EncodeBatch(
      const std::vector<std::string>& texts, size_t batch_size = 32,
      model::TextRole role = model::TextRole::kProduct);

  /// Token ids of `text` as the model sees them ([CLS] ... [SEP], truncated).
  std::vector<int64_t> Tokenize(std::string_view text) const;

  /// The analyzer the model reads text through (tokenizer_config.json "analyzer"), or null when
  /// its tokenizer sees text as given.
  const text::Analyzer* analyzer() const;
  /// The embedding size: the hidden size, plus one with a length pivot (souk.json).
  size_t dimension() const;
  /// What this encoder computes: a CRC-32 over its weights, config and tokenizer files, and the
  /// pooling, normalization and length it runs with. Vectors are comparable only between
  /// encoders with one fingerprint (an index's product vectors record the one that made them).
  const std::string& fingerprint() const;
  /// Device, dtype, threads, BLAS and pooling in one line, for the start-up log.
  std::string RuntimeSummary() const;
  uint64_t cache_hits() const;
  uint64_t cache_misses() const;
  /// Encode() calls that found no other in flight and ran on the caller's thread instead of
  /// waiting for a batch.
  uint64_t direct_calls() const;
  /// The batcher's batches, their sizes and waits (Encode() calls that did not run directly).
  BatcherStats batcher_stats() const;

 private:
  struct Impl;
  explicit TextEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::encoder
