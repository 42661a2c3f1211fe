#include "souk/engine/engine_options.h"

#include <cmath>

#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/events/query_counts.h"

namespace souk::engine {

absl::Status VectorOptions::Validate() const {
  if (backend != "exact" && backend != "hnsw") {
    return absl::InvalidArgumentError(
        StrCat("vectors.backend: '", backend, "' is not one of exact|hnsw"));
  }
  return Annotate(hnsw.Validate(), "vectors");
}

absl::Status SnapshotOptions::Validate() const {
  if (index_dir.empty()) return absl::InvalidArgumentError("index.dir: must not be empty");
  SOUK_RETURN_IF_ERROR(Annotate(analyzer.Validate(), "analyzer"));
  SOUK_RETURN_IF_ERROR(Annotate(lexical.Validate(), "lexical"));
  if (dense()) SOUK_RETURN_IF_ERROR(encoder.Validate());  // its errors name encoder.*
  SOUK_RETURN_IF_ERROR(expansion.Validate());             // and these expansion.*
  SOUK_RETURN_IF_ERROR(vectors.Validate());
  SOUK_RETURN_IF_ERROR(Annotate(experiment.Split().status(), "experiment"));
  if (!experiment.variants.empty() && !ranker_model.empty()) {
    return absl::InvalidArgumentError(
        "ranker.model: must be empty when experiment.variants name their rankers");
  }
  return recommender.Validate();
}

absl::StatusOr<events::TrafficSplit> ExperimentOptions::Split() const {
  if (variants.empty()) return events::TrafficSplit::Single("default");
  std::vector<events::VariantWeight> weights;
  for (const RankerVariant& v : variants) weights.push_back({v.name, v.weight});
  return events::TrafficSplit::Create(std::move(weights), salt);
}

absl::Status RecommendOptions::Validate() const {
  if (max_page_size == 0) {
    return absl::InvalidArgumentError("recommend.max_page_size: must be >= 1");
  }
  if (candidates == 0) return absl::InvalidArgumentError("recommend.candidates: must be >= 1");
  if (!(rrf_k > 0)) return absl::InvalidArgumentError("recommend.rrf_k: must be > 0");
  for (const std::string& category : repeat_purchase_categories) {
    if (category.empty()) {
      return absl::InvalidArgumentError("recommend.repeat_purchase_categories: an empty category");
    }
  }
  return absl::OkStatus();
}

absl::Status SearchOptions::Validate() const {
  if (max_page_size == 0) return absl::InvalidArgumentError("search.max_page_size: must be >= 1");
  if (max_query_bytes == 0) {
    return absl::InvalidArgumentError("search.max_query_bytes: must be >= 1");
  }
  if (max_result_window < max_page_size) {
    return absl::InvalidArgumentError("search.max_result_window: must be >= search.max_page_size");
  }
  if (lexical_candidates == 0 || dense_candidates == 0) {
    return absl::InvalidArgumentError(
        "search.lexical_candidates and search.dense_candidates: must be >= 1");
  }
  if (!(rrf_k > 0)) return absl::InvalidArgumentError("search.rrf_k: must be > 0");
  return rank::RuleSet::Create(rules).status();
}

absl::Status SuggestOptions::Validate() const {
  if (min_users < 1 || min_users > events::QueryCounts::kMaxUsers) {
    return absl::InvalidArgumentError(
        StrCat("suggest.min_users: must be 1..", events::QueryCounts::kMaxUsers));
  }
  if (refresh_s <= 0) return absl::InvalidArgumentError("suggest.refresh_s: must be > 0");
  if (!(catalog_weight >= 0) || !std::isfinite(catalog_weight)) {
    return absl::InvalidArgumentError("suggest.catalog_weight: must be a finite number >= 0");
  }
  if (max_prefix_bytes == 0) {
    return absl::InvalidArgumentError("suggest.max_prefix_bytes: must be > 0");
  }
  if (!(personal_boost >= 0) || !std::isfinite(personal_boost)) {
    return absl::InvalidArgumentError("suggest.personal_boost: must be a finite number >= 0");
  }
  return absl::OkStatus();
}

}  // namespace souk::engine
