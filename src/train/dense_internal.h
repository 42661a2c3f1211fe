// Embedding many texts with an in-memory BERT and exact top-k by dot product: the dense
// retrieval that fine-tuning evaluates with and DenseRetriever serves.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "souk/eval/metrics.h"
#include "souk/model/bert.h"
#include "souk/model/serving_config.h"
#include "souk/text/tokenizer.h"

namespace souk::train::internal {

/// A BERT and the pooling that turns its states into one vector per text: what fine-tuning
/// trains and dense retrieval serves.
struct PooledBert {
  model::BertModel bert{nullptr};
  model::ServingConfig serving;
  torch::Tensor token_log_weights;  ///< [vocab_size] for Pooling::kWeightedMean, else undefined.
  torch::Tensor log_length_pivot;   ///< [1] with serving.length_pivot, else undefined.

  /// [B, H] embeddings ([B, H + 1] with a length pivot) of padded `ids` and `mask` [B, T] (on
  /// the model's device), as queries or as product texts.
  torch::Tensor Embed(const torch::Tensor& ids, const torch::Tensor& mask, model::TextRole role);
};

/// Initial weighted_mean token weights [vocab_size]: `power` x the log of BM25's IDF,
/// ln(1 + (N - df + 0.5) / (df + 0.5)), over `docs` (a token's df counts each doc once), so a
/// rare word starts out outweighing a common one as it does in BM25. Cosine multiplies a
/// matched token's query and product weights: power 0.5 makes that product IDF, as in BM25,
/// instead of IDF squared.
torch::Tensor LogIdfWeights(const std::vector<text::Encoding>& docs, int64_t vocab_size,
                            double power = 1.0);

/// input_ids and attention_mask [B, T] (CPU, int64) of `batch`, right-padded with `pad_id`.
std::pair<torch::Tensor, torch::Tensor> PadBatch(const std::vector<const text::Encoding*>& batch,
                                                 int64_t pad_id);

/// [N, H] float32 CPU embeddings of `encodings` in `role`, in batches of `batch_size` sorted by
/// length. Runs in inference mode; leaves the model's train/eval mode as it found it.
torch::Tensor EmbedEncodings(PooledBert& pooled, const std::vector<text::Encoding>& encodings,
                             model::TextRole role, int64_t pad_id, const torch::Device& device,
                             int64_t batch_size);

/// Each query's `k` best rows of `docs` by dot product: indices [Q, k'] and scores [Q, k'],
/// k' = min(k, N). Chunked over queries to bound memory.
std::pair<torch::Tensor, torch::Tensor> TopKByDot(const torch::Tensor& queries,
                                                  const torch::Tensor& docs, int64_t k);

/// Mean NDCG@10, Recall@`recall_k` and MRR@10 of `rankings` (doc ids per query, best first)
/// against `judgments`, over the queries with at least one relevant judgment.
std::map<std::string, double> RankingMetrics(const std::vector<std::vector<std::string>>& rankings,
                                             const std::vector<const eval::Judgments*>& judgments,
                                             int64_t recall_k, const eval::MetricOptions& options);

}  // namespace souk::train::internal
