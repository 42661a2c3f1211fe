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

}  // namespace souk::encoder
