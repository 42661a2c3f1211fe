// Weight initialization shared by the BERT modules, their heads and SASRec (private to model/).
#pragma once

#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/utils.h>

#include <cstdint>
#include <optional>

namespace souk::model::internal {

// HF _init_weights: weights ~ N(0, initializer_range), biases 0 (Devlin et al. 2019, A.2 uses a
// truncated normal; HF's plain normal is what its checkpoints were trained from).
inline torch::nn::Linear MakeLinear(int64_t in, int64_t out, double range) {
  torch::nn::Linear linear(torch::nn::LinearOptions(in, out).bias(true));
  torch::NoGradGuard no_grad;
  linear->weight.normal_(0.0, range);
  linear->bias.zero_();
  return linear;
}

// Embeddings ~ N(0, initializer_range), the padding row (when given) zero and left out of
// gradients, as HF's _init_weights.
inline torch::nn::Embedding MakeEmbedding(int64_t rows, int64_t dim, double range,
                                          std::optional<int64_t> padding_idx) {
  torch::nn::EmbeddingOptions options(rows, dim);
  if (padding_idx) options.padding_idx(*padding_idx);
  torch::nn::Embedding embedding(options);
  torch::NoGradGuard no_grad;
  embedding->weight.normal_(0.0, range);
  if (padding_idx) embedding->weight[*padding_idx].zero_();
  return embedding;
}

inline torch::nn::LayerNorm MakeLayerNorm(int64_t dim, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps));
}

}  // namespace souk::model::internal
