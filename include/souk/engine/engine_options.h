// Options of the engine: how a snapshot is loaded and how search requests are bounded.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/encoder/encoder_options.h"
#include "souk/events/traffic_split.h"
#include "souk/lexical/lexical_options.h"
#include "souk/rank/rules.h"
#include "souk/recommend/recommender.h"
#include "souk/text/analyzer.h"
#include "souk/vector/exact_index.h"
#include "souk/vector/hnsw_index.h"

namespace souk::engine {

/// How product vectors are searched (section `vectors`).
struct VectorOptions {
  /// "exact": every vector scored (recall 1; keys device, fp16_on_cuda). "hnsw": an HNSW graph
  /// (key hnsw), approximate and far faster on large catalogs; `souk index` saves the graph
  /// with the index, and a snapshot without one builds it at load.
  std::string backend = "exact";
  vector::ExactIndexOptions exact;
  vector::HnswOptions hnsw;

  bool hnsw_backend() const { return backend == "hnsw"; }
  absl::Status Validate() const;
};

/// One arm of an A/B test between rankers.
struct RankerVariant {
  std::string name{};
  double weight = 1;           ///< Relative share of the users.
  std::string ranker_model{};  ///< As SnapshotOptions::ranker_model; empty: retrieval order.
};

/// An A/B test between rankers (section `experiment`): each user gets one variant by a stable
/// hash of their id and the salt (events/traffic_split.h); Search ranks with that variant's
/// ranker and names the variant in its answer, and the business metrics count per variant.
struct ExperimentOptions {
  std::string salt = "souk";  ///< A new salt reshuffles the users (a new experiment).
  /// Empty: no experiment, one variant "default" ranking with ranker.model.
  std::vector<RankerVariant> variants{};

  /// The split of users between the variants (one "default" variant without any).
  absl::StatusOr<events::TrafficSplit> Split() const;
};

/// What a snapshot is built from and loaded with.
struct SnapshotOptions {
  std::string index_dir;  ///< Directory written by `souk index` (docs/formats/index-dir.md).
  text::AnalyzerOptions analyzer;   ///< Must match the options the index was built with.
  lexical::LexicalOptions lexical;  ///< BM25F parameters, applied at load time.
  /// The text encoder of dense retrieval (section `encoder`). An empty model_dir serves BM25
  /// alone; otherwise `souk index` embeds every product with it and Search fuses both.
  encoder::EncoderOptions encoder;
  /// Document expansion (section `expansion`): with a model, `souk index` fills each product's
  /// expansion field with the words a masked LM predicts for its title. Not read at load time:
  /// the index directory's catalog holds the words.
  encoder::ExpansionOptions expansion;
  VectorOptions vectors;
  /// The learned ranker (section `ranker`, key `model`): XGBoost JSON that `souk train ranker`
  /// wrote, or a `souk retrain` models directory, whose current version's ranker.json each load
  /// reads (retrieval order until one is promoted). Empty: results stay in retrieval order
  /// (reciprocal rank fusion, or BM25F alone).
  std::string ranker_model;
  /// What Recommend and SimilarItems learn from users (section `recommend`); disabled without
  /// an interactions file, when they answer from content and the catalog alone.
  recommend::RecommenderOptions recommender;
  /// Rankers under A/B test; with variants, ranker_model must be empty (each variant names its
  /// own).
  ExperimentOptions experiment;

  bool dense() const { return !encoder.model_dir.empty(); }
  absl::Status Validate() const;
};

/// How Recommend and SimilarItems merge, filter and bound their answers (section `recommend`).
struct RecommendOptions {
  size_t max_page_size = 100;     ///< Largest page_size accepted.
  size_t max_recent_items = 200;  ///< Most recent_product_ids accepted.
  size_t candidates = 100;        ///< Items taken from each candidate generator.
  float rrf_k = 60;               ///< Reciprocal rank fusion of the generators' lists.
  /// At most this many items of one category (the full path) on a page, the rest moved down
  /// behind the others; 0: no limit.
  size_t max_per_category = 3;
  /// Category subtrees ("Top > Sub") whose products may be recommended again after a user
  /// bought them (groceries, consumables); everything else a history names is left out.
  std::vector<std::string> repeat_purchase_categories{};

  absl::Status Validate() const;
};

/// Section `suggest` of the configuration.
struct SuggestOptions {
  size_t min_users = 2;           ///< Distinct searchers a query needs (1..QueryCounts::kMaxUsers).
  int refresh_s = 60;             ///< Seconds between rebuilds (> 0).
  double catalog_weight = 1;      ///< A catalog phrase's weight per log2(1 + products); 0: none.
  size_t max_prefix_bytes = 256;  ///< Longer prefixes are INVALID_ARGUMENT.
  size_t max_title_phrases = 50000;  ///< The most common title starts kept.
  /// With a user_id, a completion naming a brand or category the user recently acted on weighs
  /// (1 + personal_boost x the user's share of actions there); 0: not personalized.
  double personal_boost = 1;

  absl::Status Validate() const;
};

/// Bounds on Search requests; requests outside them fail with INVALID_ARGUMENT naming the field.
struct SearchOptions {
  size_t max_page_size = 1000;       ///< Largest SearchRequest.page_size accepted.
  size_t max_query_bytes = 4096;     ///< Longest SearchRequest.query accepted, in UTF-8 bytes.
  size_t max_result_window = 10000;  ///< offset + page_size may not exceed this (deep paging).
  /// Hybrid retrieval, when the snapshot has an encoder: BM25's first `lexical_candidates` and
  /// the first `dense_candidates` by cosine (both at least as deep as the page asked for),
  /// fused by reciprocal rank: score = sum over the two lists of 1 / (rrf_k + rank). With a
  /// ranker, it reorders these candidates (BM25F's alone without an encoder).
  size_t lexical_candidates = 100;
  size_t dense_candidates = 100;
  float rrf_k = 60;  ///< Cormack, Clarke & Buettcher (SIGIR 2009) found 60 robust.
  /// Merchandising rules over the ranking (section `rules`; rank/rules.h); AdminService
  /// replaces them at run time.
  rank::RulesConfig rules;

  absl::Status Validate() const;
};

}  // namespace souk::engine
