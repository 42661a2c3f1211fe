// LambdaMart: a gradient-boosted tree ranker (XGBoost, objective rank:ndcg; Burges, "From
// RankNet to LambdaRank to LambdaMART", 2010) over named features.
//
// Trained from query groups of feature rows with graded labels, with early stopping on a
// validation set; saved as XGBoost's JSON model (feature names inside), which Python's xgboost
// loads as is. Scoring and per-feature contributions (TreeSHAP, XGBoost's pred_contribs) take
// rows whose columns are the model's features, in feature_names() order.
//
// Thread-safety: immutable after Train/Load; Score and Contributions may run concurrently
// (XGBoost >= 1.4 predicts thread-safely; results live in per-thread buffers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::rank {

/// Query groups for training: rows x feature_names.size() features, row-major; one label per
/// row, an integer relevance level 0..31 (higher is more relevant; NDCG gain 2^label - 1);
/// group_sizes partition the rows, in order; group_weights, empty or one per group (> 0), scale
/// each group's part of the loss and of the validation NDCG (importance weights).
struct RankingData {
  std::vector<std::string> feature_names;
  std::vector<float> features;
  std::vector<float> labels;
  std::vector<uint32_t> group_sizes;
  std::vector<float> group_weights;

  size_t rows() const { return labels.size(); }
  /// INVALID_ARGUMENT naming what is inconsistent (sizes, a label that is not a level, a weight
  /// that is not positive).
  absl::Status Validate() const;
};

struct LambdaMartOptions {
  int max_rounds = 500;  ///< Boosting rounds at most.
  /// Stop when validation NDCG has not improved for this long, keeping the best round's trees;
  /// 0: no early stopping, every round kept (validation NDCG is still reported).
  int early_stopping_rounds = 50;
  double learning_rate = 0.05;
  int max_depth = 6;
  double min_child_weight = 1.0;
  double subsample = 0.8;         ///< Row sampling per tree.
  double colsample_bytree = 0.8;  ///< Feature sampling per tree.
  int ndcg_at = 10;               ///< The cut-off the objective and the validation metric use.
  uint64_t seed = 42;
  int threads = 0;  ///< 0: XGBoost's default (all cores).

  absl::Status Validate() const;
};

/// One boosting round as training saw it.
struct RoundMetrics {
  int round = 0;
  double train_ndcg = 0;
  double validation_ndcg = 0;  ///< 0 without validation data.
};

class LambdaMart {
 public:
  using RoundCallback = std::function<void(const RoundMetrics&)>;

  /// Trains on `train`, stopping early on `validation` (may be empty: then max_rounds) and
  /// keeping the best round's trees. INVALID_ARGUMENT for bad data or options.
  static absl::StatusOr<std::unique_ptr<LambdaMart>> Train(const RankingData& train,
                                                           const RankingData& validation,
                                                           const LambdaMartOptions& options,
                                                           const RoundCallback& on_round = {});
  /// Loads what Save wrote; errors name the file.
  static absl::StatusOr<std::unique_ptr<LambdaMart>> Load(const std::string& path);
  ~LambdaMart();

  /// Writes the JSON model atomically.
  absl::Status Save(const std::string& path) const;

  const std::vector<std::string>& feature_names() const { return feature_names_; }
  /// The number of trees kept (the best round, 1-based).
  int rounds() const { return rounds_; }

  /// One score per row of `features` (rows x feature_names().size(), NaN = missing).
  absl::StatusOr<std::vector<float>> Score(std::span<const float> features) const;
  /// Per row, each feature's additive contribution to the score and then the bias: rows x
  /// (feature_names().size() + 1); a row sums to its Score.
  absl::StatusOr<std::vector<float>> Contributions(std::span<const float> features) const;

 private:
  LambdaMart(void* booster, std::vector<std::string> feature_names, int rounds);
  absl::StatusOr<std::vector<float>> Predict(std::span<const float> features, int type) const;

  void* booster_;  // BoosterHandle; XGBoost's header stays in the .cc
  std::vector<std::string> feature_names_;
  int rounds_;
};

}  // namespace souk::rank
