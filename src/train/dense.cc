#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dense_internal.h"
#include "souk/base/str_cat.h"
#include "souk/model/padding.h"
#include "souk/model/pooling.h"

namespace souk::train::internal {

torch::Tensor PooledBert::Embed(const torch::Tensor& ids, const torch::Tensor& mask,
                                model::TextRole role) {
  const model::BertModelOutput out = bert->forward(ids, mask);
  torch::Tensor weights;
  if (serving.pooling == model::Pooling::kWeightedMean) {
    weights = model::TokenWeights(token_log_weights, ids, mask, serving.distinct_tokens);
  }
  const model::LengthPivot pivot{log_length_pivot, role};
  return model::PoolEmbeddings(out, mask, serving.pooling, serving.normalize, weights,
                               serving.length_pivot ? &pivot : nullptr);
}

torch::Tensor LogIdfWeights(const std::vector<text::Encoding>& docs, int64_t vocab_size,
                            double power) {
  std::vector<double> df(static_cast<size_t>(vocab_size), 0);
  std::vector<int64_t> last_doc(static_cast<size_t>(vocab_size), -1);
  for (size_t d = 0; d < docs.size(); ++d) {
    for (int64_t id : docs[d].ids) {
      if (id < 0 || id >= vocab_size ||
          last_doc[static_cast<size_t>(id)] == static_cast<int64_t>(d))
        continue;
      last_doc[static_cast<size_t>(id)] = static_cast<int64_t>(d);
      ++df[static_cast<size_t>(id)];
    }
  }
  const auto n = static_cast<double>(docs.size());
  torch::Tensor out = torch::empty({vocab_size}, torch::kFloat);
  auto out_a = out.accessor<float, 1>();
  for (int64_t t = 0; t < vocab_size; ++t) {
    const double f = df[static_cast<size_t>(t)];
    out_a[t] = static_cast<float>(power * std::log(std::log1p((n - f + 0.5) / (f + 0.5))));
  }
  return out;
}

std::pair<torch::Tensor, torch::Tensor> PadBatch(const std::vector<const text::Encoding*>& batch,
                                                 int64_t pad_id) {
  std::vector<const std::vector<int64_t>*> rows;
  rows.reserve(batch.size());
  for (const text::Encoding* e : batch) rows.push_back(&e->ids);
  return model::PadRows(rows, pad_id);
}

namespace {

torch::Tensor EmbedBatch(PooledBert& pooled, const std::vector<const text::Encoding*>& batch,
                         model::TextRole role, int64_t pad_id, const torch::Device& device) {
  auto [ids, mask] = PadBatch(batch, pad_id);
  return pooled.Embed(ids.to(device), mask.to(device), role).to(torch::kCPU, torch::kFloat);
}
}  // namespace

torch::Tensor EmbedEncodings(PooledBert& pooled, const std::vector<text::Encoding>& encodings,
                             model::TextRole role, int64_t pad_id, const torch::Device& device,
                             int64_t batch_size) {
  model::BertModel& bert = pooled.bert;
  const bool was_training = bert->is_training();
  bert->eval();
  torch::InferenceMode inference;
  // Similar lengths together: little padding, and the same result in any order.
  std::vector<size_t> order(encodings.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return encodings[a].ids.size() < encodings[b].ids.size();
  });
  torch::Tensor out;
  for (size_t begin = 0; begin < order.size(); begin += static_cast<size_t>(batch_size)) {
    const size_t end = std::min(order.size(), begin + static_cast<size_t>(batch_size));
    std::vector<const text::Encoding*> batch;
    for (size_t i = begin; i < end; ++i) batch.push_back(&encodings[order[i]]);
    const torch::Tensor rows = EmbedBatch(pooled, batch, role, pad_id, device);
    if (!out.defined()) out = torch::empty({static_cast<int64_t>(encodings.size()), rows.size(1)});
    for (size_t i = begin; i < end; ++i) {
      out[static_cast<int64_t>(order[i])].copy_(rows[static_cast<int64_t>(i - begin)]);
    }
  }
  if (was_training) bert->train();
  const int64_t dimension = bert->config().hidden_size + (pooled.serving.length_pivot ? 1 : 0);
  return out.defined() ? out : torch::empty({0, dimension});
}

std::pair<torch::Tensor, torch::Tensor> TopKByDot(const torch::Tensor& queries,
                                                  const torch::Tensor& docs, int64_t k) {
  torch::InferenceMode inference;
  const int64_t kk = std::min<int64_t>(k, docs.size(0));
  constexpr int64_t kChunk = 256;  // 256 x 1M floats = 1 GB at most in flight
  std::vector<torch::Tensor> indices;
  std::vector<torch::Tensor> scores;
  for (int64_t begin = 0; begin < queries.size(0); begin += kChunk) {
    const torch::Tensor chunk = queries.narrow(0, begin, std::min(kChunk, queries.size(0) - begin));
    auto [s, i] =
        torch::matmul(chunk, docs.t()).topk(kk, /*dim=*/1, /*largest=*/true, /*sorted=*/true);
    scores.push_back(s);
    indices.push_back(i);
  }
  if (indices.empty()) {
    return {torch::empty({0, kk}, torch::kLong), torch::empty({0, kk})};
  }
  return {torch::cat(indices), torch::cat(scores)};
}

std::map<std::string, double> RankingMetrics(const std::vector<std::vector<std::string>>& rankings,
                                             const std::vector<const eval::Judgments*>& judgments,
                                             int64_t recall_k, const eval::MetricOptions& options) {
  double ndcg = 0, recall = 0, mrr = 0;
  size_t counted = 0;
  for (size_t q = 0; q < rankings.size(); ++q) {
    const eval::Judgments& judged = *judgments[q];
    const bool any_relevant = std::any_of(judged.begin(), judged.end(), [&](const auto& entry) {
      return eval::IsRelevant(entry.second, options);
    });
    if (!any_relevant) continue;
    ++counted;
    ndcg += eval::NdcgAtK(rankings[q], judged, 10, options);
    recall += eval::RecallAtK(rankings[q], judged, static_cast<size_t>(recall_k), options);
    mrr += eval::ReciprocalRankAtK(rankings[q], judged, 10, options);
  }
  const double n = std::max<double>(1, static_cast<double>(counted));
  return {{"ndcg@10", ndcg / n},
          {StrCat("recall@", recall_k), recall / n},
          {"mrr@10", mrr / n},
          {"queries", static_cast<double>(counted)}};
}

}  // namespace souk::train::internal
