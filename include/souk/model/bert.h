// BERT encoder (Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional Transformers"), as
// libtorch modules that match Hugging Face transformers' `BertModel` exactly: same parameter names
// ("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", ...), same
// math (post-LN residual blocks, exact erf GELU, tanh pooler on [CLS]), so that a checkpoint
// written by `transformers` loads by name and gives the same outputs.
//
// Invariants: hidden_size % num_attention_heads == 0; parameters are float32 after construction;
// `NamedParameters()` returns every parameter under its Hugging Face name, nothing else.
// Attention mask: Hugging Face 4.x's extended mask, (1 - mask) * finfo(dtype).min added to the
// scores, so padded keys get exactly zero attention weight and outputs at non-padded positions do
// not depend on padding (older HF used -10000, which leaks ~e-4000: nothing in practice).
//
// Thread-safety: forward() on one module from several threads is safe in eval mode under
// torch::InferenceMode (no state is written); LoadStateDict() and train()/eval() are not.
// Ownership: modules are shared (torch's ModuleHolder); tensors share storage with callers.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/model/bert_config.h"

namespace souk::model {

/// Parameters that a load found absent from the source or present in it but unused.
struct StateDictReport {
  std::vector<std::string> missing;     ///< Own names (with prefix) absent from the source.
  std::vector<std::string> unexpected;  ///< Source names nothing consumed.
};

/// Copies `source` tensors into `own` (name -> parameter, names as the caller's model spells
/// them), looking each up as `prefix + name`. All checks run before any copy, so a failed load
/// leaves the parameters untouched. Shape mismatch is always an error naming the tensor; a missing
/// tensor is an error when `strict`, else it keeps its value. Unused source tensors are ignored
/// (listed in `report`); names in `ignore` are never listed. dtype is converted on copy.
absl::Status LoadNamedTensors(const std::map<std::string, torch::Tensor>& own,
                              const std::map<std::string, torch::Tensor>& source,
                              std::string_view prefix, bool strict,
                              const std::vector<std::string>& ignore, StateDictReport* report);

/// Outputs of BertModel::forward, as Hugging Face names them.
struct BertModelOutput {
  torch::Tensor last_hidden_state;  ///< [B, T, H]: the last block's output.
  torch::Tensor pooler_output;      ///< [B, H]: tanh(dense(h[:, 0])); undefined without a pooler.
};

namespace internal {
class BertEmbeddingsImpl;
class BertLayerImpl;
class BertPoolerImpl;
}  // namespace internal

/// `transformers.BertModel`: embeddings -> N post-LN blocks -> optional pooler.
/// Built in train mode like every torch module: call eval() for inference.
class BertModelImpl : public torch::nn::Module {
 public:
  /// Checks `config` first; prefer this to the constructor.
  static absl::StatusOr<std::shared_ptr<BertModelImpl>> Create(const BertConfig& config,
                                                               bool add_pooling_layer = true);
  /// Precondition: config.Validate().ok() (SOUK_CHECKed). Initializes like HF's _init_weights.
  explicit BertModelImpl(const BertConfig& config, bool add_pooling_layer = true);

  /// input_ids [B, T] int64 in [0, vocab); attention_mask [B, T] (1 = token, 0 = padding; any
  /// dtype; undefined = all ones); token_type_ids [B, T] int64 (undefined = zeros). T must not
  /// exceed max_position_embeddings. Positions are 0..T-1 (right padding, as HF).
  /// torch convention: throws c10::Error on bad input; outside torch code use CheckedForward().
  BertModelOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {},
                          const torch::Tensor& token_type_ids = {});

  /// forward() behind a boundary: validates shapes, dtypes and id ranges, and turns any
  /// c10::Error into a Status (InvalidArgument for bad input, Internal otherwise).
  absl::StatusOr<BertModelOutput> CheckedForward(const torch::Tensor& input_ids,
                                                 const torch::Tensor& attention_mask = {},
                                                 const torch::Tensor& token_type_ids = {});

  /// Every parameter under its Hugging Face name (no "bert." prefix).
  std::map<std::string, torch::Tensor> NamedParameters() const;

  /// Loads a Hugging Face state dict: names with or without the "bert." prefix (chosen once: the
  /// prefix is used when any source name starts with "bert."). Missing tensors are errors when
  /// `strict`; shape mismatches always are; unused tensors (heads, "embeddings.position_ids") are
  /// ignored and listed in `report` when given. Atomic: on error nothing was copied.
  absl::Status LoadStateDict(const std::map<std::string, torch::Tensor>& state_dict, bool strict,
                             StateDictReport* report = nullptr);

  const BertConfig& config() const { return config_; }
  bool has_pooler() const { return pooler_ != nullptr; }
  /// The word embedding matrix [vocab, H] itself (not a copy): output layers tie to it.
  const torch::Tensor& word_embedding_weight() const;

 private:
  absl::Status ValidateInputs(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                              const torch::Tensor& token_type_ids) const;

  BertConfig config_;
  std::shared_ptr<internal::BertEmbeddingsImpl> embeddings_;
  std::vector<std::shared_ptr<internal::BertLayerImpl>> layers_;
  std::shared_ptr<internal::BertPoolerImpl> pooler_;  // null without a pooling layer
};
TORCH_MODULE(BertModel);

/// HF's extended attention mask: [B, T] {1, 0} -> [B, 1, 1, T] additive {0, finfo(dtype).min}.
torch::Tensor ExtendedAttentionMask(const torch::Tensor& attention_mask, torch::Dtype dtype);

/// Exact GELU, x * Phi(x) with the erf form (Hendrycks & Gimpel 2016; HF's "gelu").
torch::Tensor Gelu(const torch::Tensor& x);

}  // namespace souk::model
