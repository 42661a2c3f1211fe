#include "souk/train/dense_retrieval.h"

#include <torch/torch.h>

#include "dense_internal.h"
#include "model_files_internal.h"
#include "query_tokens_internal.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/device.h"
#include "souk/model/pooling.h"
#include "torch_runtime_internal.h"

namespace souk::train {

struct DenseRetriever::Impl {
  std::shared_ptr<const catalog::Catalog> catalog;
  std::unique_ptr<text::Tokenizer> tokenizer;
  internal::PooledBert pooled_bert;
  torch::Device device{torch::kCPU};
  int64_t batch_size = 64;
  torch::Tensor product_embeddings;  // [N, H]
  std::unique_ptr<internal::QueryTokens> query_tokens;
};

DenseRetriever::DenseRetriever(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DenseRetriever::~DenseRetriever() = default;

absl::StatusOr<std::unique_ptr<DenseRetriever>> DenseRetriever::Create(
    const std::string& model_dir, std::shared_ptr<const catalog::Catalog> catalog,
    const DenseRetrievalOptions& options) {
  auto impl = std::make_unique<Impl>();
  RuntimeOptions runtime;
  runtime.device = options.device;
  runtime.threads = options.threads;
  SOUK_ASSIGN_OR_RETURN(impl->device, internal::PrepareDevice(runtime));
  SOUK_ASSIGN_OR_RETURN(internal::ModelFiles files, internal::ReadModelFiles(model_dir));
  SOUK_ASSIGN_OR_RETURN(impl->tokenizer, encoder::LoadTokenizer(model_dir));
  impl->pooled_bert.serving = files.serving;
  impl->batch_size = options.batch_size;
  impl->catalog = std::move(catalog);
  SOUK_ASSIGN_OR_RETURN(
      impl->query_tokens,
      internal::QueryTokens::Create(*impl->catalog, *impl->tokenizer, options.correct_spelling));
  try {
    internal::PooledBert& m = impl->pooled_bert;
    SOUK_ASSIGN_OR_RETURN(m.bert,
                          internal::BuildBert(files.config, m.serving.pooling, files, model_dir));
    const std::string weights_path = StrCat(model_dir, "/", encoder::kWeightsFile);
    SOUK_ASSIGN_OR_RETURN(
        m.token_log_weights,
        model::FindTokenLogWeights(files.weights, files.config.vocab_size, weights_path));
    if (m.serving.pooling == model::Pooling::kWeightedMean && !m.token_log_weights.defined()) {
      return absl::FailedPreconditionError(
          StrCat(model_dir, ": pooling weighted_mean but no ", model::kTokenLogWeightsTensor));
    }
    SOUK_ASSIGN_OR_RETURN(m.log_length_pivot,
                          model::FindLogLengthPivot(files.weights, weights_path));
    if (m.serving.length_pivot && !m.log_length_pivot.defined()) {
      return absl::FailedPreconditionError(
          StrCat(model_dir, ": length_pivot but no ", model::kLogLengthPivotTensor));
    }
    if (m.token_log_weights.defined()) m.token_log_weights = m.token_log_weights.to(impl->device);
    if (m.log_length_pivot.defined()) m.log_length_pivot = m.log_length_pivot.to(impl->device);
    m.bert->to(impl->device);
    m.bert->eval();
    std::vector<text::Encoding> encodings;
    encodings.reserve(impl->catalog->size());
    for (const catalog::Product& p : impl->catalog->products()) {
      encodings.push_back(impl->tokenizer->Encode(catalog::ProductText(p),
                                                  static_cast<size_t>(m.serving.max_length)));
    }
    impl->product_embeddings =
        internal::EmbedEncodings(m, encodings, model::TextRole::kProduct, impl->tokenizer->pad_id(),
                                 impl->device, impl->batch_size);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat(model_dir, ": ", e.what_without_backtrace()));
  }
  return std::unique_ptr<DenseRetriever>(new DenseRetriever(std::move(impl)));
}

absl::StatusOr<std::vector<std::vector<std::pair<std::string, float>>>> DenseRetriever::Search(
    const std::vector<std::string>& queries, size_t k) const {
  std::vector<text::Encoding> encodings;
  encodings.reserve(queries.size());
  for (const std::string& q : queries) {
    encodings.push_back(
        impl_->query_tokens->Encode(q, static_cast<size_t>(impl_->pooled_bert.serving.max_length)));
  }
  std::vector<std::vector<std::pair<std::string, float>>> results(queries.size());
  try {
    const torch::Tensor query_embeddings =
        internal::EmbedEncodings(impl_->pooled_bert, encodings, model::TextRole::kQuery,
                                 impl_->tokenizer->pad_id(), impl_->device, impl_->batch_size);
    auto [indices, scores] =
        internal::TopKByDot(query_embeddings, impl_->product_embeddings, static_cast<int64_t>(k));
    auto idx = indices.accessor<int64_t, 2>();
    auto sc = scores.accessor<float, 2>();
    for (int64_t q = 0; q < indices.size(0); ++q) {
      for (int64_t j = 0; j < indices.size(1); ++j) {
        const auto doc = catalog::DocId(static_cast<uint32_t>(idx[q][j]));
        results[static_cast<size_t>(q)].emplace_back(impl_->catalog->product(doc).id, sc[q][j]);
      }
    }
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("dense search: ", e.what_without_backtrace()));
  }
  return results;
}

}  // namespace souk::train
