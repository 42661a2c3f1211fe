#include "request_filter_internal.h"
#include "souk/base/status_macros.h"
#include "souk/base/utf8.h"
#include "souk/catalog/product_reader.h"

namespace souk::engine::internal {

absl::Status CheckFilterText(const RequestFilter& request) {
  if (!IsValidUtf8(request.category)) {
    return absl::InvalidArgumentError("filters.category: not valid UTF-8");
  }
  if (request.brands == nullptr) return absl::OkStatus();
  for (const std::string& brand : *request.brands) {
    if (!IsValidUtf8(brand)) return absl::InvalidArgumentError("filters.brands: not valid UTF-8");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<lexical::DocFilter>> CompileFilter(const Snapshot& snap,
                                                                const RequestFilter& request) {
  lexical::Filter filter;
  absl::StatusOr<std::vector<std::string>> path = catalog::ParseCategoryPath(request.category);
  if (!path.ok()) return Annotate(path.status(), "filters.category");
  filter.category_path = *std::move(path);
  if (request.brands != nullptr) filter.brands = *request.brands;
  filter.min_price = request.min_price;
  filter.max_price = request.max_price;
  filter.in_stock_only = request.in_stock_only;
  if (filter.empty()) return std::optional<lexical::DocFilter>();
  SOUK_ASSIGN_OR_RETURN(lexical::DocFilter compiled, snap.lexical().CompileFilter(filter));
  return std::optional<lexical::DocFilter>(std::move(compiled));
}

}  // namespace souk::engine::internal
