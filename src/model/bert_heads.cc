// BertForMaskedLM and BertForSequenceClassification: module trees named as modeling_bert.py's.
#include "souk/model/bert_heads.h"

#include <torch/torch.h>

#include <utility>
#include <vector>

#include "init_internal.h"
#include "souk/base/check.h"
#include "souk/base/str_cat.h"

namespace souk::model {
namespace internal {

// HF's BertPredictionHeadTransform: dense -> GELU -> LayerNorm.
class BertPredictionHeadTransformImpl : public torch::nn::Module {
 public:
  explicit BertPredictionHeadTransformImpl(const BertConfig& d)
      : dense(register_module("dense",
                              MakeLinear(d.hidden_size, d.hidden_size, d.initializer_range))),
        LayerNorm(register_module(
            "LayerNorm", torch::nn::LayerNorm(
                             torch::nn::LayerNormOptions({d.hidden_size}).eps(d.layer_norm_eps)))) {
  }

  torch::Tensor forward(const torch::Tensor& h) { return LayerNorm(Gelu(dense(h))); }

  torch::nn::Linear dense;
  torch::nn::LayerNorm LayerNorm;  // NOLINT: HF's name
};
TORCH_MODULE(BertPredictionHeadTransform);

// HF's BertLMPredictionHead; the decoder weight is passed in (tied to the word embedding).
class BertLmPredictionHeadImpl : public torch::nn::Module {
 public:
  explicit BertLmPredictionHeadImpl(const BertConfig& d)
      : transform(register_module("transform", BertPredictionHeadTransform(d))),
        bias(register_parameter("bias", torch::zeros({d.vocab_size}))) {}

  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& decoder_weight) {
    return torch::nn::functional::linear(transform(h), decoder_weight, bias);
  }

  BertPredictionHeadTransform transform;
  torch::Tensor bias;
};
TORCH_MODULE(BertLmPredictionHead);

class BertOnlyMlmHeadImpl : public torch::nn::Module {
 public:
  explicit BertOnlyMlmHeadImpl(const BertConfig& d)
      : predictions(register_module("predictions", BertLmPredictionHead(d))) {}

  BertLmPredictionHead predictions;
};

}  // namespace internal

// ---- BertForMaskedLM ----

absl::StatusOr<std::shared_ptr<BertForMaskedLMImpl>> BertForMaskedLMImpl::Create(
    const BertConfig& config) {
  if (absl::Status s = config.Validate(); !s.ok()) return s;
  try {
    return std::make_shared<BertForMaskedLMImpl>(config);
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(StrCat("building BertForMaskedLM: ", e.what()));
  }
}

BertForMaskedLMImpl::BertForMaskedLMImpl(const BertConfig& config) {
  SOUK_CHECK(config.Validate().ok());
  // HF's BertForMaskedLM builds its encoder with add_pooling_layer=False.
  bert_ = register_module("bert", BertModel(config, /*add_pooling_layer=*/false));
  cls_ = register_module("cls", std::make_shared<internal::BertOnlyMlmHeadImpl>(config));
}

torch::Tensor BertForMaskedLMImpl::forward(const torch::Tensor& input_ids,
                                           const torch::Tensor& attention_mask,
                                           const torch::Tensor& token_type_ids) {
  return Logits(bert_->forward(input_ids, attention_mask, token_type_ids).last_hidden_state);
}

torch::Tensor BertForMaskedLMImpl::Logits(const torch::Tensor& hidden) {
  return cls_->predictions->forward(hidden, decoder_weight());
}

const torch::Tensor& BertForMaskedLMImpl::decoder_bias() const { return cls_->predictions->bias; }

std::map<std::string, torch::Tensor> BertForMaskedLMImpl::NamedParameters() const {
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : named_parameters(/*recurse=*/true)) out[item.key()] = item.value();
  return out;
}

absl::Status BertForMaskedLMImpl::LoadStateDict(
    const std::map<std::string, torch::Tensor>& state_dict, bool strict, StateDictReport* report) {
  // HF ties decoder.bias to cls.predictions.bias; safetensors keeps only one of the two names.
  const std::map<std::string, torch::Tensor>* source = &state_dict;
  std::map<std::string, torch::Tensor> aliased;
  const std::string kBias = "cls.predictions.bias", kDecoderBias = "cls.predictions.decoder.bias";
  if (!state_dict.count(kBias) && state_dict.count(kDecoderBias)) {
    aliased = state_dict;
    aliased[kBias] = state_dict.at(kDecoderBias);
    source = &aliased;
  }
  const std::vector<std::string> ignore = {"bert.embeddings.position_ids",
                                           "bert.embeddings.token_type_ids",
                                           "cls.predictions.decoder.weight", kDecoderBias};
  return LoadNamedTensors(NamedParameters(), *source, "", strict, ignore, report);
}

// ---- BertForSequenceClassification ----

absl::StatusOr<std::shared_ptr<BertForSequenceClassificationImpl>>
BertForSequenceClassificationImpl::Create(const BertConfig& config, int64_t num_labels,
                                          double classifier_dropout) {
  if (absl::Status s = config.Validate(); !s.ok()) return s;
  if (num_labels <= 0 || classifier_dropout >= 1) {
    return absl::InvalidArgumentError(
        StrCat("classification head: num_labels ", num_labels, " must be > 0 and dropout < 1"));
  }
  try {
    return std::make_shared<BertForSequenceClassificationImpl>(config, num_labels,
                                                               classifier_dropout);
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(StrCat("building classifier: ", e.what()));
  }
}

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const BertConfig& config,
                                                                     int64_t num_labels,
                                                                     double classifier_dropout)
    : num_labels_(num_labels) {
  SOUK_CHECK(config.Validate().ok() && num_labels > 0 && classifier_dropout < 1);
  bert_ = register_module("bert", BertModel(config, /*add_pooling_layer=*/true));
  dropout_ = register_module(
      "dropout",
      torch::nn::Dropout(classifier_dropout < 0 ? config.hidden_dropout_prob : classifier_dropout));
  classifier_ = register_module(
      "classifier", internal::MakeLinear(config.hidden_size, num_labels, config.initializer_range));
}

torch::Tensor BertForSequenceClassificationImpl::forward(const torch::Tensor& input_ids,
                                                         const torch::Tensor& attention_mask,
                                                         const torch::Tensor& token_type_ids) {
  torch::Tensor pooled = bert_->forward(input_ids, attention_mask, token_type_ids).pooler_output;
  return classifier_(dropout_(pooled));
}

std::map<std::string, torch::Tensor> BertForSequenceClassificationImpl::NamedParameters() const {
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : named_parameters(/*recurse=*/true)) out[item.key()] = item.value();
  return out;
}

absl::Status BertForSequenceClassificationImpl::LoadStateDict(
    const std::map<std::string, torch::Tensor>& state_dict, bool strict, StateDictReport* report) {
  const std::vector<std::string> ignore = {"bert.embeddings.position_ids",
                                           "bert.embeddings.token_type_ids"};
  return LoadNamedTensors(NamedParameters(), state_dict, "", strict, ignore, report);
}

}  // namespace souk::model
