// BertModel: the module tree mirrors transformers' modeling_bert.py class by class so that
// torch's dotted parameter names come out as Hugging Face's.
#include "souk/model/bert.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "init_internal.h"
#include "short_linear_internal.h"
#include "souk/base/check.h"
#include "souk/base/logging.h"
#include "souk/base/str_cat.h"

namespace souk::model {
namespace {

using internal::MakeEmbedding;
using internal::MakeLayerNorm;
using internal::MakeLinear;

// The most negative finite value of `dtype`, as torch.finfo(dtype).min.
double MinValue(torch::Dtype dtype) {
  switch (dtype) {
    case torch::kDouble:
      return std::numeric_limits<double>::lowest();
    case torch::kHalf:
      return static_cast<double>(std::numeric_limits<c10::Half>::lowest());
    case torch::kBFloat16:
      return static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest());
    default:
      return static_cast<double>(std::numeric_limits<float>::lowest());
  }
}

std::string ShapeString(c10::IntArrayRef sizes) {
  std::string out = "[";
  for (size_t i = 0; i < sizes.size(); ++i) out += StrCat(i ? ", " : "", sizes[i]);
  return out + "]";
}

}  // namespace

namespace internal {

// ---- modeling_bert.py's classes, same attribute names ----

class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BertEmbeddingsImpl(const BertConfig& d)
      : word_embeddings(register_module(
            "word_embeddings",
            MakeEmbedding(d.vocab_size, d.hidden_size, d.initializer_range, d.pad_token_id))),
        position_embeddings(register_module("position_embeddings",
                                            MakeEmbedding(d.max_position_embeddings, d.hidden_size,
                                                          d.initializer_range, std::nullopt))),
        token_type_embeddings(register_module(
            "token_type_embeddings",
            MakeEmbedding(d.type_vocab_size, d.hidden_size, d.initializer_range, std::nullopt))),
        LayerNorm(register_module("LayerNorm", MakeLayerNorm(d.hidden_size, d.layer_norm_eps))),
        dropout(register_module("dropout", torch::nn::Dropout(d.hidden_dropout_prob))) {}

  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids) {
    const int64_t t = input_ids.size(1);
    torch::Tensor positions =
        torch::arange(t, torch::TensorOptions().dtype(torch::kLong).device(input_ids.device()));
    torch::Tensor types = token_type_ids.defined() ? token_type_ids : torch::zeros_like(input_ids);
    torch::Tensor x = word_embeddings(input_ids) + token_type_embeddings(types) +
                      position_embeddings(positions).unsqueeze(0);
    return dropout(LayerNorm(x));
  }

  torch::nn::Embedding word_embeddings, position_embeddings, token_type_embeddings;
  torch::nn::LayerNorm LayerNorm;  // NOLINT: HF's name
  torch::nn::Dropout dropout;
};

// Multi-head scaled dot-product attention (Vaswani et al. 2017, eq. 1): softmax(QK^T/sqrt(d))V.
class BertSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit BertSelfAttentionImpl(const BertConfig& d)
      : heads_(d.num_attention_heads),
        head_dim_(d.hidden_size / d.num_attention_heads),
        query(register_module("query",
                              MakeLinear(d.hidden_size, d.hidden_size, d.initializer_range))),
        key(register_module("key", MakeLinear(d.hidden_size, d.hidden_size, d.initializer_range))),
        value(register_module("value",
                              MakeLinear(d.hidden_size, d.hidden_size, d.initializer_range))),
        dropout(register_module("dropout", torch::nn::Dropout(d.attention_probs_dropout_prob))) {}

  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& extended_mask) {
    const int64_t b = h.size(0), t = h.size(1);
    auto split = [&](const torch::Tensor& x) {  // [B,T,H] -> [B,A,T,d]
      return x.view({b, t, heads_, head_dim_}).transpose(1, 2);
    };
    torch::Tensor q = split(ApplyLinear(query, h)), k = split(ApplyLinear(key, h)),
                  v = split(ApplyLinear(value, h));
    torch::Tensor scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(head_dim_));
    if (extended_mask.defined()) scores = scores + extended_mask;
    torch::Tensor probs = dropout(torch::softmax(scores, -1));
    return torch::matmul(probs, v).transpose(1, 2).reshape({b, t, heads_ * head_dim_});
  }

 private:
  int64_t heads_, head_dim_;

 public:
  torch::nn::Linear query, key, value;
  torch::nn::Dropout dropout;
};
TORCH_MODULE(BertSelfAttention);

// dense -> dropout -> LayerNorm(x + residual): HF's BertSelfOutput and BertOutput alike (post-LN).
class BertResidualOutputImpl : public torch::nn::Module {
 public:
  BertResidualOutputImpl(const BertConfig& d, int64_t in)
      : dense(register_module("dense", MakeLinear(in, d.hidden_size, d.initializer_range))),
        LayerNorm(register_module("LayerNorm", MakeLayerNorm(d.hidden_size, d.layer_norm_eps))),
        dropout(register_module("dropout", torch::nn::Dropout(d.hidden_dropout_prob))) {}

  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& residual) {
    return LayerNorm(dropout(ApplyLinear(dense, x)) + residual);
  }

  torch::nn::Linear dense;
  torch::nn::LayerNorm LayerNorm;  // NOLINT: HF's name
  torch::nn::Dropout dropout;
};
TORCH_MODULE(BertResidualOutput);

class BertAttentionImpl : public torch::nn::Module {
 public:
  explicit BertAttentionImpl(const BertConfig& d)
      : self(register_module("self", BertSelfAttention(d))),
        output(register_module("output", BertResidualOutput(d, d.hidden_size))) {}

  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& extended_mask) {
    return output(self(h, extended_mask), h);
  }

  BertSelfAttention self;
  BertResidualOutput output;
};
TORCH_MODULE(BertAttention);

class BertIntermediateImpl : public torch::nn::Module {
 public:
  explicit BertIntermediateImpl(const BertConfig& d)
      : dense(register_module(
            "dense", MakeLinear(d.hidden_size, d.intermediate_size, d.initializer_range))) {}

  torch::Tensor forward(const torch::Tensor& h) { return Gelu(ApplyLinear(dense, h)); }

  torch::nn::Linear dense;
};
TORCH_MODULE(BertIntermediate);

class BertLayerImpl : public torch::nn::Module {
 public:
  explicit BertLayerImpl(const BertConfig& d)
      : attention(register_module("attention", BertAttention(d))),
        intermediate(register_module("intermediate", BertIntermediate(d))),
        output(register_module("output", BertResidualOutput(d, d.intermediate_size))) {}

  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& extended_mask) {
    torch::Tensor a = attention(h, extended_mask);
    return output(intermediate(a), a);
  }

  BertAttention attention;
  BertIntermediate intermediate;
  BertResidualOutput output;
};

class BertPoolerImpl : public torch::nn::Module {
 public:
  explicit BertPoolerImpl(const BertConfig& d)
      : dense(register_module("dense",
                              MakeLinear(d.hidden_size, d.hidden_size, d.initializer_range))) {}

  // The [CLS] position (Devlin et al. 2019, section 3).
  torch::Tensor forward(const torch::Tensor& h) {
    return torch::tanh(ApplyLinear(dense, h.select(1, 0)));
  }

  torch::nn::Linear dense;
};

}  // namespace internal

// ---- BertModel ----

absl::StatusOr<std::shared_ptr<BertModelImpl>> BertModelImpl::Create(const BertConfig& config,
                                                                     bool add_pooling_layer) {
  if (absl::Status s = config.Validate(); !s.ok()) return s;
  try {
    return std::make_shared<BertModelImpl>(config, add_pooling_layer);
  } catch (const std::exception& e) {  // allocation failure inside torch
    return absl::ResourceExhaustedError(StrCat("building BERT: ", e.what()));
  }
}

BertModelImpl::BertModelImpl(const BertConfig& config, bool add_pooling_layer) : config_(config) {
  SOUK_CHECK(config.Validate().ok());
  embeddings_ =
      register_module("embeddings", std::make_shared<internal::BertEmbeddingsImpl>(config));
  // "encoder.layer.N": a container module holding a ModuleList named "layer", as HF's BertEncoder.
  auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>("BertEncoder"));
  torch::nn::ModuleList layer_list;
  for (int64_t i = 0; i < config.num_hidden_layers; ++i) {
    layers_.push_back(std::make_shared<internal::BertLayerImpl>(config));
    layer_list->push_back(layers_.back());
  }
  encoder->register_module("layer", layer_list);
  if (add_pooling_layer) {
    pooler_ = register_module("pooler", std::make_shared<internal::BertPoolerImpl>(config));
  }
}

BertModelOutput BertModelImpl::forward(const torch::Tensor& input_ids,
                                       const torch::Tensor& attention_mask,
                                       const torch::Tensor& token_type_ids) {
  torch::Tensor h = embeddings_->forward(input_ids, token_type_ids);
  torch::Tensor extended = attention_mask.defined()
                               ? ExtendedAttentionMask(attention_mask, h.scalar_type())
                               : torch::Tensor();
  for (auto& layer : layers_) h = layer->forward(h, extended);
  BertModelOutput out;
  out.pooler_output = pooler_ ? pooler_->forward(h) : torch::Tensor();
  out.last_hidden_state = std::move(h);
  return out;
}

absl::Status BertModelImpl::ValidateInputs(const torch::Tensor& input_ids,
                                           const torch::Tensor& attention_mask,
                                           const torch::Tensor& token_type_ids) const {
  if (!input_ids.defined() || input_ids.dim() != 2 || input_ids.scalar_type() != torch::kLong) {
    return absl::InvalidArgumentError("input_ids must be a [batch, length] int64 tensor");
  }
  const int64_t t = input_ids.size(1);
  if (t < 1 || t > config_.max_position_embeddings) {
    return absl::InvalidArgumentError(
        StrCat("sequence length ", t, " outside [1, ", config_.max_position_embeddings, "]"));
  }
  auto check_range = [](const torch::Tensor& ids, int64_t limit, std::string_view what) {
    if (ids.numel() == 0) return absl::OkStatus();
    const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
    if (lo < 0 || hi >= limit) {
      return absl::InvalidArgumentError(
          StrCat(what, " out of range [0, ", limit, "): found ", lo < 0 ? lo : hi));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = check_range(input_ids, config_.vocab_size, "input_ids"); !s.ok()) return s;
  if (attention_mask.defined() && attention_mask.sizes() != input_ids.sizes()) {
    return absl::InvalidArgumentError(
        StrCat("attention_mask shape ", ShapeString(attention_mask.sizes()), " != input_ids shape ",
               ShapeString(input_ids.sizes())));
  }
  if (token_type_ids.defined()) {
    if (token_type_ids.sizes() != input_ids.sizes() ||
        token_type_ids.scalar_type() != torch::kLong) {
      return absl::InvalidArgumentError("token_type_ids must be int64 and shaped like input_ids");
    }
    return check_range(token_type_ids, config_.type_vocab_size, "token_type_ids");
  }
  return absl::OkStatus();
}

absl::StatusOr<BertModelOutput> BertModelImpl::CheckedForward(const torch::Tensor& input_ids,
                                                              const torch::Tensor& attention_mask,
                                                              const torch::Tensor& token_type_ids) {
  try {
    if (absl::Status s = ValidateInputs(input_ids, attention_mask, token_type_ids); !s.ok()) {
      return s;
    }
    return forward(input_ids, attention_mask, token_type_ids);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("BERT forward: ", e.what_without_backtrace()));
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("BERT forward: ", e.what()));
  }
}

std::map<std::string, torch::Tensor> BertModelImpl::NamedParameters() const {
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : named_parameters(/*recurse=*/true)) out[item.key()] = item.value();
  return out;
}

const torch::Tensor& BertModelImpl::word_embedding_weight() const {
  return embeddings_->word_embeddings->weight;
}

absl::Status BertModelImpl::LoadStateDict(const std::map<std::string, torch::Tensor>& state_dict,
                                          bool strict, StateDictReport* report) {
  std::string prefix;
  for (const auto& [name, tensor] : state_dict) {
    if (name.rfind("bert.", 0) == 0) prefix = "bert.";
  }
  // Buffers HF saves in some versions; ours are computed in forward().
  const std::vector<std::string> ignore = {prefix + "embeddings.position_ids",
                                           prefix + "embeddings.token_type_ids"};
  return LoadNamedTensors(NamedParameters(), state_dict, prefix, strict, ignore, report);
}

// ---- free functions ----

torch::Tensor ExtendedAttentionMask(const torch::Tensor& attention_mask, torch::Dtype dtype) {
  torch::Tensor m = attention_mask.to(dtype).unsqueeze(1).unsqueeze(2);  // [B,1,1,T]
  return (1.0 - m) * MinValue(dtype);
}

torch::Tensor Gelu(const torch::Tensor& x) { return torch::gelu(x); }  // "none" = erf form

absl::Status LoadNamedTensors(const std::map<std::string, torch::Tensor>& own,
                              const std::map<std::string, torch::Tensor>& source,
                              std::string_view prefix, bool strict,
                              const std::vector<std::string>& ignore, StateDictReport* report) {
  StateDictReport local;
  StateDictReport& r = report ? *report : local;
  r = {};
  std::set<std::string> used(ignore.begin(), ignore.end());
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;  // (destination, source)
  for (const auto& [name, param] : own) {
    const std::string key = StrCat(prefix, name);
    auto it = source.find(key);
    if (it == source.end()) {
      r.missing.push_back(key);
      continue;
    }
    used.insert(key);
    const torch::Tensor& src = it->second;
    if (!src.defined() || !src.is_floating_point()) {
      return absl::InvalidArgumentError(StrCat("tensor '", key, "' is not a floating tensor"));
    }
    if (src.sizes() != param.sizes()) {
      return absl::InvalidArgumentError(StrCat("tensor '", key, "' has shape ",
                                               ShapeString(src.sizes()), ", the model expects ",
                                               ShapeString(param.sizes())));
    }
    copies.emplace_back(param, src);
  }
  if (strict && !r.missing.empty()) {
    return absl::InvalidArgumentError(
        StrCat("missing tensor '", r.missing.front(), "' (", r.missing.size(), " missing in all)"));
  }
  for (const auto& [name, tensor] : source) {
    if (!used.count(name)) r.unexpected.push_back(name);
  }
  try {
    torch::NoGradGuard no_grad;
    for (auto& [dst, src] : copies) dst.copy_(src);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("copying tensors: ", e.what_without_backtrace()));
  }
  if (!r.missing.empty() || !r.unexpected.empty()) {
    SOUK_LOG_INFO("model", "state dict: ", copies.size(), " tensors loaded, ", r.missing.size(),
                  " missing (kept), ", r.unexpected.size(), " unused");
  }
  return absl::OkStatus();
}

}  // namespace souk::model
