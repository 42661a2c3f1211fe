// Exact dense retrieval with a model directory: every product text is embedded once, a query is
// embedded the same way, and products are ranked by the dot product of the (normalized)
// embeddings, i.e. cosine similarity. The evaluation `souk train finetune` runs after each epoch
// and `souk dense` (TREC runs for held-out queries) both go through it.
//
// Thread-safety: Search() is const and may run concurrently after Create().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product.h"

namespace souk::train {

struct DenseRetrievalOptions {
  std::string device = "auto";  ///< As RuntimeOptions::device.
  int threads = 0;              ///< CPU intra-op threads; 0 = every core.
  int64_t batch_size = 64;      ///< Texts per forward pass while embedding.
  /// For a model that reads analyzed text (text::AnalyzedTokenizer): a query's terms are spelling
  /// corrected against the catalog's terms first, as `souk search` corrects them (the catalog
  /// indexed with the model's analyzer, default lexical.spelling options).
  bool correct_spelling = true;
};

class DenseRetriever {
 public:
  /// Loads the model directory and embeds every product of `catalog` (kept by the retriever).
  static absl::StatusOr<std::unique_ptr<DenseRetriever>> Create(
      const std::string& model_dir, std::shared_ptr<const catalog::Catalog> catalog,
      const DenseRetrievalOptions& options);
  ~DenseRetriever();

  /// The `k` best products of each query: (product id, cosine), best first, ties by catalog order.
  absl::StatusOr<std::vector<std::vector<std::pair<std::string, float>>>> Search(
      const std::vector<std::string>& queries, size_t k) const;

 private:
  struct Impl;
  explicit DenseRetriever(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::train
