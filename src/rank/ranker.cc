#include "souk/rank/ranker.h"

#include <limits>
#include <utility>

#include "souk/base/check.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/rank/features.h"

namespace souk::rank {
namespace {

absl::StatusOr<std::vector<size_t>> TableColumns(const LambdaMart& model) {
  std::vector<size_t> columns;
  for (const std::string& name : model.feature_names()) {
    std::optional<size_t> column = FindFeature(name);
    if (!column) {
      return absl::FailedPreconditionError(
          StrCat("the ranker uses feature '", name, "', which this build does not compute"));
    }
    columns.push_back(*column);
  }
  return columns;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Ranker>> Ranker::Load(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<LambdaMart> model, LambdaMart::Load(path));
  absl::StatusOr<std::unique_ptr<Ranker>> ranker = Create(std::move(model));
  if (!ranker.ok()) return Annotate(ranker.status(), path);
  return ranker;
}

absl::StatusOr<std::unique_ptr<Ranker>> Ranker::Create(std::unique_ptr<LambdaMart> model) {
  SOUK_ASSIGN_OR_RETURN(std::vector<size_t> columns, TableColumns(*model));
  return std::unique_ptr<Ranker>(new Ranker(std::move(model), std::move(columns)));
}

Ranker::Ranker(std::unique_ptr<LambdaMart> model, std::vector<size_t> columns)
    : model_(std::move(model)), columns_(std::move(columns)) {}

std::vector<float> Ranker::ModelColumns(std::span<const float> table_rows) const {
  SOUK_CHECK(table_rows.size() % kNumFeatures == 0);
  const size_t rows = table_rows.size() / kNumFeatures;
  std::vector<float> selected;
  selected.reserve(rows * columns_.size());
  for (size_t r = 0; r < rows; ++r) {
    for (size_t column : columns_) selected.push_back(table_rows[r * kNumFeatures + column]);
  }
  return selected;
}

absl::StatusOr<std::vector<float>> Ranker::Score(std::span<const float> table_rows) const {
  return model_->Score(ModelColumns(table_rows));
}

absl::StatusOr<std::vector<std::vector<Contribution>>> Ranker::Explain(
    std::span<const float> table_rows) const {
  const std::vector<float> values = ModelColumns(table_rows);
  SOUK_ASSIGN_OR_RETURN(std::vector<float> shares, model_->Contributions(values));
  const size_t width = columns_.size();
  const size_t rows = width == 0 ? 0 : values.size() / width;
  std::vector<std::vector<Contribution>> explained(rows);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t i = 0; i < width; ++i) {
      explained[r].push_back(
          {kFeatureTable[columns_[i]].name, values[r * width + i], shares[r * (width + 1) + i]});
    }
    explained[r].push_back(
        {"bias", std::numeric_limits<float>::quiet_NaN(), shares[r * (width + 1) + width]});
  }
  return explained;
}

}  // namespace souk::rank
