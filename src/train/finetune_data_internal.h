// Fine-tuning data: the catalog, judged queries split into train and held-out, training pairs,
// BM25-mined hard-negative pools, and every text tokenized once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/eval/qrels.h"
#include "souk/text/tokenizer.h"
#include "souk/train/finetune.h"

namespace souk::train::internal {

struct TrainingPair {
  uint32_t query = 0;  ///< Index into FinetuneData::train.
  uint32_t doc = 0;    ///< DocId value of the positive product.
};

struct FinetuneData {
  std::shared_ptr<const catalog::Catalog> catalog;
  std::vector<eval::JudgedQuery> train;
  std::vector<eval::JudgedQuery> heldout;
  std::vector<TrainingPair> pairs;
  /// Per train query: its positives' DocIds (masked out as negatives of that query).
  std::vector<absl::flat_hash_set<uint32_t>> positives;
  /// Per train query: BM25's top products that are not positives, best first.
  std::vector<std::vector<uint32_t>> hard_negatives;
  std::vector<text::Encoding> products;         ///< Per DocId.
  std::vector<text::Encoding> train_queries;    ///< Per train query.
  std::vector<text::Encoding> heldout_queries;  ///< Per held-out query.
};

/// Reads the catalogs and judged queries of `options`, checks every judged product exists,
/// splits, builds the pairs and mines the negatives. FAILED_PRECONDITION when no pair reaches
/// positive_min_grade.
absl::StatusOr<FinetuneData> LoadFinetuneData(const FinetuneOptions& options,
                                              const text::Tokenizer& tokenizer);

}  // namespace souk::train::internal
