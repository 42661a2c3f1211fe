#include "souk/model/seqrec.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "init_internal.h"
#include "souk/base/check.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/bert.h"

namespace souk::model {
namespace {

using internal::MakeEmbedding;
using internal::MakeLayerNorm;
using internal::MakeLinear;

// Attention to a blocked key: a large negative score rather than -inf, so that a query row
// with every key blocked (a padding position) gets a uniform softmax instead of NaN; fp16 and
// bf16 hold it too.
constexpr double kBlockedScore = -1e4;

}  // namespace

SasRecBlockImpl::SasRecBlockImpl(const SeqRecConfig& c) : heads_(c.num_heads) {
  const int64_t h = c.hidden_size;
  attention_norm_ = register_module("attention_norm", MakeLayerNorm(h, c.layer_norm_eps));
  qkv_ = register_module("qkv", MakeLinear(h, 3 * h, c.initializer_range));
  attention_out_ = register_module("attention_out", MakeLinear(h, h, c.initializer_range));
  ffn_norm_ = register_module("ffn_norm", MakeLayerNorm(h, c.layer_norm_eps));
  ffn_in_ = register_module("ffn_in", MakeLinear(h, h, c.initializer_range));
  ffn_out_ = register_module("ffn_out", MakeLinear(h, h, c.initializer_range));
  dropout_ = register_module("dropout", torch::nn::Dropout(c.dropout));
}

torch::Tensor SasRecBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& blocked) {
  const int64_t batch = x.size(0), length = x.size(1), width = x.size(2);
  const int64_t head_dim = width / heads_;
  // [B, T, 3H] -> three [B, heads, T, head_dim]
  std::vector<torch::Tensor> qkv = qkv_(attention_norm_(x))
                                       .view({batch, length, 3, heads_, head_dim})
                                       .permute({2, 0, 3, 1, 4})
                                       .unbind(0);
  torch::Tensor scores =
      torch::matmul(qkv[0], qkv[1].transpose(-1, -2)) / std::sqrt(static_cast<double>(head_dim));
  scores = scores.masked_fill(blocked, kBlockedScore);
  torch::Tensor attention = dropout_(torch::softmax(scores, -1));
  torch::Tensor context =
      torch::matmul(attention, qkv[2]).transpose(1, 2).reshape({batch, length, width});
  torch::Tensor out = x + dropout_(attention_out_(context));
  // SASRec's point-wise feed-forward: two H x H layers with ReLU.
  return out + dropout_(ffn_out_(dropout_(torch::relu(ffn_in_(ffn_norm_(out))))));
}

absl::StatusOr<std::shared_ptr<SasRecImpl>> SasRecImpl::Create(const SeqRecConfig& config) {
  SOUK_RETURN_IF_ERROR(config.Validate());
  return std::make_shared<SasRecImpl>(config);
}

SasRecImpl::SasRecImpl(const SeqRecConfig& config) : config_(config) {
  SOUK_CHECK(config.Validate().ok());
  const int64_t h = config.hidden_size;
  item_embeddings_ = register_module(
      "item_embeddings", MakeEmbedding(config.num_items + 1, h, config.initializer_range, 0));
  position_embeddings_ =
      register_module("position_embeddings",
                      MakeEmbedding(config.max_length, h, config.initializer_range, std::nullopt));
  dropout_ = register_module("dropout", torch::nn::Dropout(config.dropout));
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < config.num_layers; ++i) blocks_->push_back(SasRecBlock(config));
  final_norm_ = register_module("final_norm", MakeLayerNorm(h, config.layer_norm_eps));
}

torch::Tensor SasRecImpl::forward(const torch::Tensor& item_ids) {
  const int64_t length = item_ids.size(1);
  const torch::Tensor padding = item_ids.eq(0);  // [B, T]
  // Positions count back from the newest item, which always sits at max_length - 1: a batch
  // padded to fewer than max_length items reads the same as one padded to all of them.
  const torch::Tensor positions =
      torch::arange(config_.max_length - length, config_.max_length, item_ids.options());
  torch::Tensor x =
      item_embeddings_(item_ids) * std::sqrt(static_cast<double>(config_.hidden_size));
  x = dropout_(x + position_embeddings_(positions).unsqueeze(0));
  x = x.masked_fill(padding.unsqueeze(-1), 0.0);
  // Query t sees keys s <= t that are items: [B, 1, T, T].
  const torch::Tensor later =
      torch::ones({length, length}, item_ids.options().dtype(torch::kBool)).triu(1);
  const torch::Tensor blocked = later.unsqueeze(0).logical_or(padding.unsqueeze(1)).unsqueeze(1);
  for (const auto& block : *blocks_) {
    x = block->as<SasRecBlock>()->forward(x, blocked);
    x = x.masked_fill(padding.unsqueeze(-1), 0.0);
  }
  return final_norm_(x);
}

torch::Tensor SasRecImpl::Scores(const torch::Tensor& states) {
  return torch::matmul(states, item_embeddings_->weight.narrow(0, 1, config_.num_items).t());
}

std::map<std::string, torch::Tensor> SasRecImpl::NamedParameters() const {
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : named_parameters(/*recurse=*/true)) out[item.key()] = item.value();
  return out;
}

absl::Status SasRecImpl::LoadTensors(const std::map<std::string, torch::Tensor>& tensors) {
  const std::map<std::string, torch::Tensor> own = NamedParameters();
  for (const auto& [name, tensor] : tensors) {
    if (!own.contains(name)) {
      return absl::InvalidArgumentError(StrCat("unexpected tensor '", name, "'"));
    }
  }
  return LoadNamedTensors(own, tensors, "", /*strict=*/true, {}, nullptr);
}

}  // namespace souk::model

namespace souk::model {

torch::Tensor PadHistories(std::span<const std::vector<uint32_t>> histories, int64_t max_length,
                           const torch::Device& device) {
  int64_t length = 1;
  for (const std::vector<uint32_t>& h : histories) {
    length = std::max(length, std::min<int64_t>(max_length, static_cast<int64_t>(h.size())));
  }
  const auto rows = static_cast<int64_t>(histories.size());
  torch::Tensor ids = torch::zeros({rows, length}, torch::kLong);
  auto a = ids.accessor<int64_t, 2>();
  for (int64_t r = 0; r < rows; ++r) {
    const std::vector<uint32_t>& h = histories[static_cast<size_t>(r)];
    const int64_t n = std::min<int64_t>(length, static_cast<int64_t>(h.size()));
    for (int64_t i = 0; i < n; ++i) a[r][length - n + i] = h[h.size() - n + i];
  }
  return ids.to(device);
}

torch::Tensor ScoreNextItems(SasRecImpl& model, std::span<const std::vector<uint32_t>> histories,
                             const torch::Device& device) {
  const torch::Tensor ids = PadHistories(histories, model.config().max_length, device);
  const torch::Tensor states = model.forward(ids).select(1, ids.size(1) - 1);  // [B, H]
  torch::Tensor scores = model.Scores(states).to(torch::kFloat);
  std::vector<int64_t> rows, columns;
  for (size_t r = 0; r < histories.size(); ++r) {
    for (const uint32_t item : histories[r]) {
      rows.push_back(static_cast<int64_t>(r));
      columns.push_back(static_cast<int64_t>(item) - 1);
    }
  }
  if (!rows.empty()) {
    const auto n = static_cast<int64_t>(rows.size());
    const torch::Tensor r = torch::from_blob(rows.data(), {n}, torch::kLong).to(device);
    const torch::Tensor c = torch::from_blob(columns.data(), {n}, torch::kLong).to(device);
    scores.index_put_({r, c}, -std::numeric_limits<float>::infinity());
  }
  return scores;
}

}  // namespace souk::model
