// Ranker training: a LambdaMART ranker learned from judged queries over the candidates and
// features the search engine serves (`souk train ranker`, docs/ranking.md).
//
// Each judged query is searched with SearchEngine::Candidates, so training sees exactly the
// candidate set and feature values that serving scores. Labels are the relevance levels
// round(max(0, grade - gain_offset) * label_scale) for judged candidates and 0 for the rest
// (XGBoost's rank:ndcg reads labels as integers, gain 2^label - 1); a query none of whose
// candidates has a positive label teaches nothing and is left out of training (counted).
//
// Judged pairs (qrels) make one group per query. Logged searches (sessions) are replayed in log
// order through fresh aggregates (`aggregates`, as serving counts them), so each search's
// candidates carry the behaviour features as they were when it ran, for its user: no search
// learns from its own outcome. They are position-biased: users click what is on top. With
// position_debias (the default) each logged search makes one group per (product, grade) it got,
// that product against all other candidates, weighted by 1 / theta(position), theta estimated
// from the same log (position_bias.h); without it, one group with the highest grade per product.
// With shown_page_only (the default) a logged search's candidates are only those its page showed:
// the others were never examined, so they are no evidence against themselves.
//
// A held-out split stops boosting early and is reported: of the qrels queries, the same as
// fine-tuning's (by query id); of each sessions file, its most recent searches. Reported: NDCG@10
// of the candidates in retrieval order and in the ranker's order, over every held-out query with
// each product's highest grade (judged products outside the candidates count in the ideal
// ordering), and again over the relevant judgments alone (grade >= metrics.relevant_min_grade: with
// sessions and 3, purchases).
//
// Thread-safety: TrainRanker runs on the calling thread; XGBoost uses `lambdamart.threads`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/base/confidence.h"
#include "souk/encoder/sentiment_classifier.h"
#include "souk/engine/search_engine.h"
#include "souk/eval/metrics.h"
#include "souk/events/aggregates.h"
#include "souk/rank/lambdamart.h"
#include "souk/train/position_bias.h"

namespace souk::train {

struct RankerTrainingOptions {
  std::vector<std::string> qrels;     ///< Qrels TSV files (the dev-qrels.tsv layout).
  std::vector<std::string> sessions;  ///< Events files in the demo shop's events.jsonl layout.
  std::string out;                    ///< Path of the ranker's JSON model.
  double heldout_fraction = 0.1;
  uint64_t seed = 42;
  eval::MetricOptions metrics;  ///< gain_offset also turns grades into labels.
  /// Relevance levels per grade step: 3 keeps the thirds of averaged 1..3 ratings apart.
  double label_scale = 1;
  bool position_debias = true;  ///< Inverse-propensity weights for sessions (see above).
  /// A logged search's training groups hold only the products its page showed (see above).
  bool shown_page_only = true;
  PropensityOptions propensity;
  events::AggregateOptions aggregates;  ///< The serving `feedback` section's, for the features.
  /// The serving feedback.sentiment classifier (empty model_dir: none): logged reviews are
  /// scored with it, so that review_sentiment is what serving would have read.
  encoder::SentimentOptions sentiment;
  rank::LambdaMartOptions lambdamart;
  /// A ranker to compare on the same held-out searches (the serving one); empty: none, and the
  /// baseline is retrieval order.
  std::string baseline_ranker;
  /// kFeatureTable names the model must not use (ablations, a feature one distrusts).
  std::vector<std::string> excluded_features;

  absl::Status Validate() const;
};

struct RankerTrainingResult {
  size_t train_queries = 0;  ///< Qrels queries and logged searches with an outcome.
  size_t heldout_queries = 0;
  size_t skipped_queries = 0;  ///< Training queries without a positive candidate.
  size_t train_rows = 0;
  size_t train_groups = 0;
  double train_weight = 0;  ///< Sum of the training groups' weights (1 per unweighted group).
  std::vector<Propensities> propensities;  ///< One per sessions file, with position_debias.
  int rounds = 0;
  double heldout_ndcg_retrieval = 0;  ///< NDCG@10 of the held-out queries, retrieval order.
  double heldout_ndcg_ranker = 0;     ///< The same with the ranker's order.
  double heldout_ndcg_baseline = 0;   ///< The same with baseline_ranker's (or retrieval) order.
  /// Held-out logged searches with position debiasing, and their inverse-propensity weighted
  /// NDCG@10 (each outcome's gain over theta of its position) in retrieval, ranker and baseline
  /// order: unlike the plain NDCG, it does not favour the ranking the log was shown.
  size_t heldout_logged_searches = 0;
  double heldout_ips_ndcg_retrieval = 0;
  double heldout_ips_ndcg_ranker = 0;
  double heldout_ips_ndcg_baseline = 0;
  /// Ranker minus baseline, search by search (paired), with its 95% interval: whether the new
  /// ranker is better or worse than the serving one beyond the noise of the held-out searches.
  Interval heldout_ips_ndcg_gain;
  size_t heldout_relevant_queries = 0;         ///< Held-out queries with a relevant judgment.
  double heldout_relevant_ndcg_retrieval = 0;  ///< NDCG@10 over relevant judgments only.
  double heldout_relevant_ndcg_ranker = 0;
  double seconds = 0;
};

absl::StatusOr<RankerTrainingResult> TrainRanker(
    const engine::SearchEngine& engine, const RankerTrainingOptions& options,
    const rank::LambdaMart::RoundCallback& on_round = {});

}  // namespace souk::train
