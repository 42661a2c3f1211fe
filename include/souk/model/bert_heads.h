// Task heads on top of BertModel, matching Hugging Face's `BertForMaskedLM` and
// `BertForSequenceClassification` parameter for parameter:
//   MLM:  "bert.*" (no pooler) + "cls.predictions.transform.{dense,LayerNorm}.*" +
//         "cls.predictions.bias"; the decoder weight is the word embedding matrix itself (tied, as
//         Devlin et al. 2019 and HF's tie_weights), so it is not a separate parameter.
//   Classification: "bert.*" (with pooler) + dropout + "classifier.{weight,bias}".
//
// Invariants: MLM logits = LayerNorm(GELU(dense(h))) @ E^T + bias, with E read from the encoder
// at each call, so the tie survives LoadStateDict and optimizer steps.
// Thread-safety and ownership: as BertModel (bert.h).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/model/bert.h"

namespace souk::model {

namespace internal {
class BertOnlyMlmHeadImpl;
}  // namespace internal

/// `transformers.BertForMaskedLM`.
class BertForMaskedLMImpl : public torch::nn::Module {
 public:
  static absl::StatusOr<std::shared_ptr<BertForMaskedLMImpl>> Create(const BertConfig& config);
  /// Precondition: config.Validate().ok().
  explicit BertForMaskedLMImpl(const BertConfig& config);

  /// Logits [B, T, vocab] for inputs as BertModelImpl::forward takes them.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {},
                        const torch::Tensor& token_type_ids = {});
  /// Logits [..., vocab] of hidden states [..., H]: lets training score masked positions only.
  torch::Tensor Logits(const torch::Tensor& hidden);

  /// HF names: "bert.embeddings...", "cls.predictions.transform.dense.weight", ...
  std::map<std::string, torch::Tensor> NamedParameters() const;
  /// Loads a BertForMaskedLM state dict ("bert." prefix required, as HF writes it). The decoder
  /// bias may come as "cls.predictions.bias" or "cls.predictions.decoder.bias";
  /// "cls.predictions.decoder.weight" is ignored (tied). Errors and report as LoadNamedTensors.
  absl::Status LoadStateDict(const std::map<std::string, torch::Tensor>& state_dict, bool strict,
                             StateDictReport* report = nullptr);

  BertModel& bert() { return bert_; }
  /// The decoder weight: the same tensor (same storage) as the word embedding.
  const torch::Tensor& decoder_weight() const { return bert_->word_embedding_weight(); }
  const torch::Tensor& decoder_bias() const;

 private:
  BertModel bert_{nullptr};
  std::shared_ptr<internal::BertOnlyMlmHeadImpl> cls_;
};
TORCH_MODULE(BertForMaskedLM);

/// `transformers.BertForSequenceClassification`: logits = classifier(dropout(pooler_output)).
class BertForSequenceClassificationImpl : public torch::nn::Module {
 public:
  /// `classifier_dropout` < 0 means hidden_dropout_prob (HF's None).
  static absl::StatusOr<std::shared_ptr<BertForSequenceClassificationImpl>> Create(
      const BertConfig& config, int64_t num_labels, double classifier_dropout = -1.0);
  /// Precondition: config.Validate().ok(), num_labels > 0.
  BertForSequenceClassificationImpl(const BertConfig& config, int64_t num_labels,
                                    double classifier_dropout = -1.0);

  /// Logits [B, num_labels].
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {},
                        const torch::Tensor& token_type_ids = {});

  /// HF names: "bert.*", "classifier.weight", "classifier.bias".
  std::map<std::string, torch::Tensor> NamedParameters() const;
  /// Loads a BertForSequenceClassification state dict ("bert." prefix required).
  absl::Status LoadStateDict(const std::map<std::string, torch::Tensor>& state_dict, bool strict,
                             StateDictReport* report = nullptr);

  BertModel& bert() { return bert_; }
  int64_t num_labels() const { return num_labels_; }

 private:
  int64_t num_labels_;
  BertModel bert_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(BertForSequenceClassification);

}  // namespace souk::model
