#include "souk/model/pooling.h"

#include <torch/nn/functional/normalization.h>
#include <torch/torch.h>

#include "absl/status/status.h"
#include "souk/base/str_cat.h"

namespace souk::model {

absl::StatusOr<torch::Tensor> FindTokenLogWeights(
    const std::map<std::string, torch::Tensor>& weights, int64_t vocab_size,
    std::string_view source) {
  const auto it = weights.find(kTokenLogWeightsTensor);
  if (it == weights.end()) return torch::Tensor();
  const torch::Tensor& t = it->second;
  if (t.dim() != 1 || t.size(0) != vocab_size) {
    return absl::FailedPreconditionError(
        StrCat(source, ": ", kTokenLogWeightsTensor, " has ", t.dim(), " dimensions and ",
               t.numel(), " values, expected one per token (vocab_size ", vocab_size, ")"));
  }
  return t.to(torch::kFloat).clone();
}

absl::StatusOr<torch::Tensor> FindLogLengthPivot(
    const std::map<std::string, torch::Tensor>& weights, std::string_view source) {
  const auto it = weights.find(kLogLengthPivotTensor);
  if (it == weights.end()) return torch::Tensor();
  if (it->second.numel() != 1) {
    return absl::FailedPreconditionError(StrCat(source, ": ", kLogLengthPivotTensor, " has ",
                                                it->second.numel(), " values, expected 1"));
  }
  return it->second.to(torch::kFloat).reshape({1}).clone();
}

torch::Tensor TokenWeights(const torch::Tensor& token_log_weights, const torch::Tensor& input_ids,
                           const torch::Tensor& attention_mask, bool distinct_tokens) {
  torch::Tensor weights =
      token_log_weights.index_select(0, input_ids.reshape(-1)).exp().view(input_ids.sizes());
  if (!distinct_tokens) return weights;
  // occurrences[b][t] = real tokens of row b with the id at t: [B, T, T] equalities, cheap for
  // the few dozen tokens of a query or title. At least 1 (padding positions are masked later).
  const torch::Tensor same = input_ids.unsqueeze(2).eq(input_ids.unsqueeze(1)) &
                             attention_mask.unsqueeze(1).to(torch::kBool);
  const torch::Tensor occurrences = same.sum(2).clamp_min(1).to(weights.dtype());
  return weights / occurrences;
}

torch::Tensor PoolEmbeddings(const BertModelOutput& output, const torch::Tensor& attention_mask,
                             Pooling pooling, bool normalize, const torch::Tensor& token_weights,
                             const LengthPivot* pivot) {
  TORCH_CHECK(pivot == nullptr || pooling == Pooling::kWeightedMean,
              "a length pivot needs weighted_mean pooling");
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
    case Pooling::kWeightedMean: {
      TORCH_CHECK(token_weights.defined(), "weighted_mean pooling needs the token weights");
      // In float32 even when the model runs in fp16/bf16: tiny weights would round to 0 there.
      const torch::Tensor w =
          (attention_mask.to(torch::kFloat) * token_weights.to(torch::kFloat)).unsqueeze(-1);
      const torch::Tensor total = w.sum(1).clamp_min(1e-12);
      pooled = (output.last_hidden_state.to(torch::kFloat) * w).sum(1) / total;
      if (pivot != nullptr) {
        // The mean is the weighted sum over `total`: the pivot is scaled alike, so that after
        // normalization the vector is [sum_t w_t h_t, p] / norm.
        const torch::Tensor column = pivot->role == TextRole::kProduct
                                         ? pivot->log_pivot.exp().view({1, 1}) / total
                                         : torch::zeros_like(total);
        pooled = torch::cat({pooled, column}, 1);
      }
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
