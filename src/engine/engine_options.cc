#include "souk/engine/engine_options.h"

#include "souk/base/status_macros.h"

namespace souk::engine {

absl::Status SnapshotOptions::Validate() const {
  if (index_dir.empty()) return absl::InvalidArgumentError("index.dir: must not be empty");
  SOUK_RETURN_IF_ERROR(Annotate(analyzer.Validate(), "analyzer"));
  SOUK_RETURN_IF_ERROR(Annotate(lexical.Validate(), "lexical"));
  if (dense()) SOUK_RETURN_IF_ERROR(encoder.Validate());  // its errors name encoder.*
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
  return absl::OkStatus();
}

}  // namespace souk::engine
