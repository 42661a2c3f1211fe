#include "souk/model/pooling.h"

#include <torch/nn/functional/normalization.h>

namespace souk::model {

torch::Tensor PoolEmbeddings(const BertModelOutput& output, const torch::Tensor& attention_mask,
                             Pooling pooling, bool normalize) {
  torch::Tensor pooled;
  switch (pooling) {
    case Pooling::kCls:
      pooled = output.last_hidden_state.select(1, 0);
      break;
    case Pooling::kMean: {
      torch::Tensor m = attention_mask.unsqueeze(-1).to(output.last_hidden_state.dtype());
      pooled = (output.last_hidden_state * m).sum(1) / m.sum(1).clamp_min(1);
      break;
    }
    case Pooling::kPooler:
      pooled = output.pooler_output;
      break;
  }
  if (!normalize) return pooled;
  // Normalize in float32: bf16/fp16 norms lose the precision cosine ranking needs.
  return torch::nn::functional::normalize(
      pooled.to(torch::kFloat),
      torch::nn::functional::NormalizeFuncOptions().p(2).dim(1).eps(1e-12));
}

}  // namespace souk::model
