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
#include "souk/train/masking.h"

namespace souk::train::internal {

struct TrainingPair {
  /// Index into FinetuneData::train; from train.size() on, into the epoch's PseudoQueries.
  uint32_t query = 0;
  uint32_t doc = 0;  ///< DocId value of the positive product.
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

/// Pseudo queries cut from product texts: the products' own words as queries teach the encoder
/// to match query words to product words, which judged queries alone (a few thousand) cover
/// sparsely. Random cropping as Contriever's (Izacard et al. 2022) and the inverse cloze task's
/// (Lee et al. 2019): a span of 1-4 words of the brand and title, or of 2-6 characters when the
/// text has no spaces (Chinese titles); for half the texts of 3+ words, an ordered subset of 2-3
/// words instead, shaped like "brand + product type" queries.
struct PseudoQueries {
  std::vector<uint32_t> docs;           ///< The product each query was cut from.
  std::vector<std::string> texts;       ///< The crops.
  std::vector<text::Encoding> queries;  ///< The crops tokenized like real queries.
};

/// `count` pseudo queries from products drawn uniformly with `rng`.
PseudoQueries MakePseudoQueries(const catalog::Catalog& catalog, const text::Tokenizer& tokenizer,
                                int64_t count, int64_t max_query_length, Rng& rng);

/// Reads the catalogs and judged queries of `options`, checks every judged product exists,
/// splits, builds the pairs and mines the negatives. FAILED_PRECONDITION when no pair reaches
/// positive_min_grade.
absl::StatusOr<FinetuneData> LoadFinetuneData(const FinetuneOptions& options,
                                              const text::Tokenizer& tokenizer);

}  // namespace souk::train::internal
