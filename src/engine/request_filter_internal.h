// The product filters Search and Recommend share (a category subtree, brands, a price range,
// in stock only): their text checked, then compiled against one snapshot's index. Errors name
// the request field ("filters.category: ...").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/engine/snapshot.h"
#include "souk/lexical/filter.h"

namespace souk::engine::internal {

struct RequestFilter {
  std::string_view category{};                       ///< "Top > Sub"; empty: any.
  const std::vector<std::string>* brands = nullptr;  ///< Any of these; null or empty: any.
  std::optional<double> min_price{};
  std::optional<double> max_price{};
  bool in_stock_only = false;
};

/// INVALID_ARGUMENT for a category or brand that is not UTF-8.
absl::Status CheckFilterText(const RequestFilter& request);

/// The compiled filter, or none when the request sets no filter; INVALID_ARGUMENT for a
/// malformed or unknown category, an unknown brand, a bad price range.
absl::StatusOr<std::optional<lexical::DocFilter>> CompileFilter(const Snapshot& snap,
                                                                const RequestFilter& request);

}  // namespace souk::engine::internal
