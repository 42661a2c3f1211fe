// Ranker: a LambdaMart model bound to this build's feature table.
//
// A model names its features; Load finds each in kFeatureTable, so a model trained before
// features were appended still loads, and one naming a feature this build lacks is refused.
// Score and Explain take full feature-table rows (FeatureExtractor's output).
//
// Thread-safety: immutable after Load; Score and Explain are thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/rank/lambdamart.h"

namespace souk::rank {

/// One feature's part in a ranker's score.
struct Contribution {
  std::string_view feature;  ///< A kFeatureTable name, or "bias".
  float value = 0;           ///< The feature's value; NaN when missing (or for the bias).
  float contribution = 0;    ///< Its additive share of the score (TreeSHAP).
};

class Ranker {
 public:
  /// FAILED_PRECONDITION when the model names a feature kFeatureTable lacks.
  static absl::StatusOr<std::unique_ptr<Ranker>> Load(const std::string& path);
  /// The same check for a model trained in this process.
  static absl::StatusOr<std::unique_ptr<Ranker>> Create(std::unique_ptr<LambdaMart> model);

  /// One score per row of `table_rows` (rows x kNumFeatures).
  absl::StatusOr<std::vector<float>> Score(std::span<const float> table_rows) const;
  /// Per row, the model's features and the bias with their contributions; each row's
  /// contributions add up to its Score.
  absl::StatusOr<std::vector<std::vector<Contribution>>> Explain(
      std::span<const float> table_rows) const;

  const LambdaMart& model() const { return *model_; }

 private:
  Ranker(std::unique_ptr<LambdaMart> model, std::vector<size_t> columns);
  std::vector<float> ModelColumns(std::span<const float> table_rows) const;

  std::unique_ptr<LambdaMart> model_;
  std::vector<size_t> columns_;  ///< The kFeatureTable column of each model feature.
};

}  // namespace souk::rank
