// Snapshot: one immutable, versioned bundle of what serving needs (catalog, analyzer, lexical
// index, for dense retrieval the text encoder with the product vectors it made, the learned
// rankers (one per A/B variant), and the recommender), loaded
// from an index directory. The engine swaps whole snapshots atomically, so a
// request sees one consistent version from start to end.
//
// Thread-safety: immutable after Load; share it as std::shared_ptr<const Snapshot>.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/encoder/text_encoder.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/index_directory.h"
#include "souk/lexical/inverted_index.h"
#include "souk/lexical/query_rewriter.h"
#include "souk/lexical/spelling.h"
#include "souk/rank/features.h"
#include "souk/rank/ranker.h"
#include "souk/recommend/recommender.h"
#include "souk/text/analyzer.h"
#include "souk/vector/vector_index.h"

namespace souk::engine {

class Snapshot {
 public:
  /// Loads and validates `options.index_dir`; errors name the file that was wrong. With an
  /// encoder configured, the index must hold vectors made by that very model
  /// (FAILED_PRECONDITION naming both fingerprints otherwise: rebuild with `souk index`).
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Load(const SnapshotOptions& options);

  const catalog::Catalog& catalog() const { return *catalog_; }
  const text::Analyzer& analyzer() const { return *analyzer_; }
  const lexical::InvertedIndex& lexical() const { return *lexical_; }
  /// The analyzed terms of a query, the ones the index lacks corrected when lexical.spelling is
  /// enabled (lexical/spelling.h), with the terms of lexical.rewrites' synonyms and learned
  /// rewrites added (lexical/query_rewriter.h): what lexical retrieval and the ranking features
  /// read.
  std::vector<std::string> QueryTerms(std::string_view query) const;
  /// Null when lexical.spelling is disabled.
  const lexical::SpellingCorrector* spelling() const { return spelling_.get(); }
  /// Dense retrieval's query encoder (thread-safe) and product vectors (row id = DocId value);
  /// both null when the configuration has no encoder.
  encoder::TextEncoder* encoder() const { return encoder_.get(); }
  const vector::VectorIndex* vectors() const { return vectors_.get(); }
  /// A query's embedding (precondition: encoder() is not null). An encoder that reads text
  /// through this index's very analyzer (same fingerprint) gets `terms`, the query's terms as
  /// QueryTerms() made them, spelling corrected; any other gets `query` as typed.
  absl::StatusOr<std::vector<float>> EncodeQuery(
      std::string_view query, const std::vector<std::string>& terms,
      encoder::TextEncoder::Clock::time_point deadline) const;
  /// Ranking features of this snapshot's catalog and index.
  const rank::FeatureExtractor& features() const { return *features_; }
  /// The learned ranker of A/B variant `variant` (options.ranker_model without an experiment,
  /// variant 0); null when that variant ranks in retrieval order.
  const rank::Ranker* ranker(size_t variant = 0) const { return rankers_[variant].get(); }
  /// Which variant each user gets (options.experiment).
  const events::TrafficSplit& split() const { return *split_; }
  /// What Recommend learns from users (options.recommender); null when none is configured.
  const recommend::Recommender* recommender() const { return recommender_.get(); }
  /// The catalog product of a recommender item; none for an item the catalog lacks.
  std::optional<catalog::DocId> ItemDoc(recommend::ItemIndex item) const;
  /// The recommender item of a product; 0 when the recommender has never seen it.
  recommend::ItemIndex DocItem(catalog::DocId doc) const;
  /// The manifest's index id: changes with every `souk index` run.
  const std::string& version() const { return version_; }
  int64_t loaded_unix_s() const { return loaded_unix_s_; }

 private:
  Snapshot() = default;
  absl::Status LoadDense(const SnapshotOptions& options, const Manifest& manifest);
  // The HNSW graph `souk index` saved (vectors.backend hnsw).
  absl::Status LoadHnsw(const SnapshotOptions& options);
  absl::Status LoadRecommender(const recommend::RecommenderOptions& options);
  absl::Status LoadRankers(const SnapshotOptions& options);

  // Declaration order is destruction order in reverse: the index points into the catalog.
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<text::Analyzer> analyzer_;
  std::unique_ptr<lexical::InvertedIndex> lexical_;
  std::unique_ptr<lexical::SpellingCorrector> spelling_;
  std::unique_ptr<lexical::QueryRewriter> rewriter_;  ///< Null without rules.
  std::unique_ptr<encoder::TextEncoder> encoder_;
  bool encoder_reads_query_terms_ = false;  ///< See EncodeQuery().
  std::unique_ptr<vector::VectorIndex> vectors_;
  std::unique_ptr<rank::FeatureExtractor> features_;
  std::optional<events::TrafficSplit> split_;
  std::vector<std::unique_ptr<rank::Ranker>> rankers_;  ///< One per variant of split_.
  std::unique_ptr<const recommend::Recommender> recommender_;
  std::vector<uint32_t> item_docs_;              ///< [item] DocId value or kNoDoc; [0] unused.
  std::vector<recommend::ItemIndex> doc_items_;  ///< [DocId value] item or 0.
  std::string version_;
  int64_t loaded_unix_s_ = 0;
};

}  // namespace souk::engine
