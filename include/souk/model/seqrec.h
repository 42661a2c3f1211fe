// SasRec: the sequential recommender, a causal transformer over a user's item history (Kang &
// McAuley 2018, "Self-Attentive Sequential Recommendation"), trained with full softmax
// cross-entropy over every item as Klenitskiy & Vasilev (RecSys 2023, "Turning Dross Into Gold
// Loss: is BERT4Rec really better than SASRec?") found strongest.
//
// forward(): item ids [B, T] (1..num_items; 0 is padding, on the left so the newest item is
// last) -> hidden states [B, T, H], where the state at t has read items 0..t only. Positions
// count from the right: the newest item always has position max_length - 1, so T may be any
// length up to max_length. Scores() turns
// states into one score per item: the dot product with the item's embedding (the input and
// output embeddings are one matrix, as in SASRec). Blocks are pre-LN (LayerNorm before attention
// and feed-forward, then a residual), with a final LayerNorm; embeddings are scaled by sqrt(H)
// as SASRec's reference code does.
//
// Parameter names (NamedParameters, the safetensors names of docs/formats/seqrec-model.md):
// item_embeddings.weight [num_items + 1, H] (row 0 padding), position_embeddings.weight
// [max_length, H], blocks.N.{attention_norm,ffn_norm}.{weight,bias},
// blocks.N.{qkv,attention_out,ffn_in,ffn_out}.{weight,bias}, final_norm.{weight,bias}.
//
// Thread-safety: forward() and Scores() from several threads are safe in eval mode under
// torch::InferenceMode; train()/eval() and loading are not. Ownership: torch's ModuleHolder.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/model/seqrec_config.h"

namespace souk::model {

/// One pre-LN block: x + attention(LN(x)), then x + feed-forward(LN(x)).
class SasRecBlockImpl : public torch::nn::Module {
 public:
  explicit SasRecBlockImpl(const SeqRecConfig& config);
  /// x [B, T, H]; blocked [B, 1, T, T] bool, true where query t must not see key s (a later
  /// item, or padding).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& blocked);

 private:
  int64_t heads_;
  torch::nn::LayerNorm attention_norm_{nullptr}, ffn_norm_{nullptr};
  torch::nn::Linear qkv_{nullptr}, attention_out_{nullptr}, ffn_in_{nullptr}, ffn_out_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(SasRecBlock);

class SasRecImpl : public torch::nn::Module {
 public:
  /// Checks `config` first; prefer this to the constructor.
  static absl::StatusOr<std::shared_ptr<SasRecImpl>> Create(const SeqRecConfig& config);
  /// Precondition: config.Validate().ok() (SOUK_CHECKed).
  explicit SasRecImpl(const SeqRecConfig& config);

  /// item_ids [B, T] int64 with T <= max_length -> [B, T, H]. torch convention: throws
  /// c10::Error on bad input; callers validate ids at their edge.
  torch::Tensor forward(const torch::Tensor& item_ids);
  /// Scores of every item for states [N, H] -> [N, num_items]; column j is item j + 1.
  torch::Tensor Scores(const torch::Tensor& states);

  /// Every parameter under its file name.
  std::map<std::string, torch::Tensor> NamedParameters() const;
  /// Copies `tensors` (names as NamedParameters) into the parameters: every one must be there
  /// with its shape, nothing else may be; errors name the tensor, and nothing is copied then.
  absl::Status LoadTensors(const std::map<std::string, torch::Tensor>& tensors);

  /// The item embedding matrix [num_items + 1, H] (row 0 padding), shared with the scores.
  torch::Tensor item_embeddings() const { return item_embeddings_->weight; }
  const SeqRecConfig& config() const { return config_; }

 private:
  SeqRecConfig config_;
  torch::nn::Embedding item_embeddings_{nullptr}, position_embeddings_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::LayerNorm final_norm_{nullptr};
};
TORCH_MODULE(SasRec);

/// Histories (item ids, oldest first) as model input: [B, T] int64 on `device`, each row its
/// newest min(size, max_length) items, left-padded with 0; T is the longest row (at least 1).
torch::Tensor PadHistories(std::span<const std::vector<uint32_t>> histories, int64_t max_length,
                           const torch::Device& device);

/// The scores of every item as each history's next one: [B, num_items] (column j is item j + 1),
/// with the history's own items at -inf. Runs `model` as it is (call eval() for inference).
torch::Tensor ScoreNextItems(SasRecImpl& model, std::span<const std::vector<uint32_t>> histories,
                             const torch::Device& device);

}  // namespace souk::model
