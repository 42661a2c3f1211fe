// Options of the text encoder: which model, where it runs, and how requests are batched.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "souk/encoder/dynamic_batcher.h"
#include "souk/model/serving_config.h"

namespace souk::encoder {

struct EncoderOptions {
  std::string model_dir;  ///< Hugging Face layout directory (docs/models.md).
  /// "cpu", "cuda", "cuda:N", or "auto" (the first CUDA device when there is one, else cpu).
  std::string device = "cpu";
  /// Intra-op threads for the forward pass. 1 is best for latency on small machines: a second
  /// OpenMP thread often stalls there; raise it for big offline batches.
  int threads = 1;
  /// Half precision on CUDA ("fp16" or "bf16"; "fp32" keeps full precision). CPU is always fp32.
  std::string cuda_precision = "fp16";
  BatcherOptions batching;       ///< Dynamic batching of concurrent Encode() calls.
  size_t cache_entries = 10000;  ///< LRU cache of query embeddings; 0 disables it.
  /// Overrides of the model directory's souk.json (unset: use the file's value).
  std::optional<model::Pooling> pooling;
  std::optional<bool> normalize;
  std::optional<int64_t> max_length;

  absl::Status Validate() const;
};

/// Document expansion at index time (section `expansion`; term_expander.h): a masked-LM model
/// guesses words each product's title lacks.
struct ExpansionOptions {
  /// A BertForMaskedLM directory (`souk train pretrain` writes one). Empty: no expansion.
  std::string model_dir;
  std::string device = "cpu";  ///< As EncoderOptions::device.
  /// libtorch's intra-op threads; 0 leaves libtorch's own setting (every core): expansion runs
  /// offline, in `souk index`.
  int threads = 0;
  size_t batch_size = 64;  ///< Products per forward pass.
  /// [MASK] slots appended to each title: the positions whose predictions become terms.
  size_t mask_slots = 4;
  size_t terms = 10;  ///< Most words added to one product.
  /// A word is added when some slot predicts it with at least this probability,
  float min_probability = 0.05f;
  /// and at least min_lift times its mean probability over the catalog's products.
  float min_lift = 2.0f;

  bool enabled() const { return !model_dir.empty(); }
  /// batch_size, mask_slots and terms >= 1 (mask_slots <= 32), threads >= 0, min_probability
  /// in [0, 1], min_lift finite and >= 0.
  absl::Status Validate() const;
};

}  // namespace souk::encoder
