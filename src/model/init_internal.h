// Weight initialization shared by the BERT modules and their heads (private to model/).
#pragma once

#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include <cstdint>

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

}  // namespace souk::model::internal
