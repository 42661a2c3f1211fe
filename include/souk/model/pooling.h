// One embedding per sequence from a BERT's outputs, as souk.json's "pooling" and "normalize"
// say (model/serving_config.h). Serving (encoder/) and training (train/) share it, so a model
// is trained with exactly the vectors it will serve.
//
// Thread-safety: a pure function of its tensors.
#pragma once

#include <torch/types.h>

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "souk/model/bert.h"
#include "souk/model/serving_config.h"

namespace souk::model {

/// Pooling::kWeightedMean's parameter in model.safetensors: [vocab_size] float32 log weights.
inline constexpr char kTokenLogWeightsTensor[] = "pooling.token_log_weights";

/// ServingConfig::length_pivot's parameter in model.safetensors: [1] float32, log of the pivot.
inline constexpr char kLogLengthPivotTensor[] = "pooling.log_length_pivot";

/// kTokenLogWeightsTensor of `weights` (a state dict) as float32 [vocab_size], or an undefined
/// tensor when it has none. FAILED_PRECONDITION naming `source` when the shape is not [vocab_size].
absl::StatusOr<torch::Tensor> FindTokenLogWeights(
    const std::map<std::string, torch::Tensor>& weights, int64_t vocab_size,
    std::string_view source);
/// kLogLengthPivotTensor of `weights` as float32 [1], or an undefined tensor when it has none.
/// FAILED_PRECONDITION naming `source` when it holds other than one value.
absl::StatusOr<torch::Tensor> FindLogLengthPivot(
    const std::map<std::string, torch::Tensor>& weights, std::string_view source);

/// What PoolEmbeddings needs for ServingConfig::length_pivot.
struct LengthPivot {
  torch::Tensor log_pivot;  ///< [1]: kLogLengthPivotTensor
  TextRole role = TextRole::kQuery;
};

/// [B, T] weights of `input_ids` [B, T] for Pooling::kWeightedMean: exp(token_log_weights[id]),
/// and with `distinct_tokens` (ServingConfig) divided by how often the id occurs among the
/// row's real tokens (`attention_mask` [B, T], 1 = token), so that its occurrences weigh once.
torch::Tensor TokenWeights(const torch::Tensor& token_log_weights, const torch::Tensor& input_ids,
                           const torch::Tensor& attention_mask, bool distinct_tokens);

/// [B, H] embeddings of `output` for inputs with `attention_mask` [B, T] (1 = token): the [CLS]
/// state, the mean over real tokens (padding never dilutes it; Reimers & Gurevych 2019), the mean
/// weighted by `token_weights` [B, T] (TokenWeights(); precondition: defined for kWeightedMean,
/// unused otherwise), or the pooler output (precondition: the model has a pooler).
/// With `pivot` (kWeightedMean only) the rows get one more column, [B, H + 1]: exp(log_pivot)
/// over the row's summed token weights for products, 0 for queries (ServingConfig::length_pivot).
/// L2-normalized when `normalize`. Differentiable: training backpropagates through it.
torch::Tensor PoolEmbeddings(const BertModelOutput& output, const torch::Tensor& attention_mask,
                             Pooling pooling, bool normalize,
                             const torch::Tensor& token_weights = {},
                             const LengthPivot* pivot = nullptr);

}  // namespace souk::model
