#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>

#include "absl/strings/str_join.h"
#include "doc_columns_internal.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::lexical::internal {
namespace {

absl::Status CheckBound(std::string_view name, const std::optional<double>& bound) {
  // !(x >= 0) also rejects NaN.
  if (bound.has_value() && !(*bound >= 0)) {
    return absl::InvalidArgumentError(
        StrCat("filters.", name, ": must be a number >= 0, got ", *bound));
  }
  return absl::OkStatus();
}

// The `max_values` values with the highest counts, ties by value ascending.
std::vector<FacetValue> TopValues(const std::vector<uint32_t>& counts,
                                  const std::function<const std::string&(uint32_t)>& name,
                                  size_t max_values) {
  std::vector<FacetValue> values;
  for (uint32_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) values.push_back({name(i), counts[i]});
  }
  auto better = [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  };
  const size_t keep = std::min(max_values, values.size());
  std::partial_sort(values.begin(), values.begin() + static_cast<ptrdiff_t>(keep), values.end(),
                    better);
  values.resize(keep);
  return values;
}

}  // namespace

DocColumns DocColumns::Build(const catalog::Catalog& catalog) {
  DocColumns columns;
  const std::vector<catalog::Product>& products = catalog.products();
  columns.categories_ = CategoryTree::Build(products, &columns.category_);
  columns.brand_.reserve(products.size());
  columns.price_.reserve(products.size());
  columns.in_stock_.reserve(products.size());
  for (const catalog::Product& p : products) {
    uint32_t brand = kNoBrand;
    if (!p.brand.empty()) {
      auto [it, inserted] = columns.brand_ids_.try_emplace(
          p.brand, static_cast<uint32_t>(columns.brand_names_.size()));
      if (inserted) columns.brand_names_.push_back(p.brand);
      brand = it->second;
    }
    columns.brand_.push_back(brand);
    columns.price_.push_back(p.price.value_or(std::numeric_limits<double>::quiet_NaN()));
    columns.in_stock_.push_back(p.InStock());
  }
  return columns;
}

absl::Status DocColumns::CheckPrices(const Filter& filter) const {
  SOUK_RETURN_IF_ERROR(CheckBound("price.min", filter.min_price));
  SOUK_RETURN_IF_ERROR(CheckBound("price.max", filter.max_price));
  if (filter.min_price && filter.max_price && *filter.min_price > *filter.max_price) {
    return absl::InvalidArgumentError(StrCat("filters.price.min: ", *filter.min_price,
                                             " is greater than filters.price.max ",
                                             *filter.max_price));
  }
  return absl::OkStatus();
}

absl::StatusOr<DocFilter> DocColumns::Compile(const Filter& filter) const {
  SOUK_RETURN_IF_ERROR(CheckPrices(filter));
  uint32_t category_begin = CategoryTree::kRoot;
  uint32_t category_end = static_cast<uint32_t>(categories_.size());
  if (!filter.category_path.empty()) {
    const std::optional<uint32_t> node = categories_.Find(filter.category_path);
    if (!node) {
      return absl::InvalidArgumentError(
          StrCat("filters.category: unknown category '",
                 absl::StrJoin(filter.category_path, catalog::kCategorySeparator), "'"));
    }
    category_begin = *node;
    category_end = categories_.subtree_end(*node);
  }
  std::vector<bool> brand_allowed;
  if (!filter.brands.empty()) {
    brand_allowed.assign(brand_names_.size(), false);
    for (const std::string& brand : filter.brands) {
      auto it = brand_ids_.find(brand);
      if (it == brand_ids_.end()) {
        return absl::InvalidArgumentError(StrCat("filters.brands: unknown brand '", brand, "'"));
      }
      brand_allowed[it->second] = true;
    }
  }
  const bool price_bounded = filter.min_price || filter.max_price;
  const double lo = filter.min_price.value_or(-std::numeric_limits<double>::infinity());
  const double hi = filter.max_price.value_or(std::numeric_limits<double>::infinity());

  const size_t n = num_docs();
  std::vector<uint64_t> bits((n + 63) / 64, 0);
  for (uint32_t d = 0; d < n; ++d) {
    if (category_[d] < category_begin || category_[d] >= category_end) continue;
    if (!brand_allowed.empty() && (brand_[d] == kNoBrand || !brand_allowed[brand_[d]])) continue;
    // A missing price (NaN) fails both comparisons.
    if (price_bounded && !(price_[d] >= lo && price_[d] <= hi)) continue;
    if (filter.in_stock_only && !in_stock_[d]) continue;
    bits[d >> 6] |= uint64_t{1} << (d & 63);
  }
  return DocFilter(std::move(bits), n, filter.category_path);
}

Facets DocColumns::Count(const std::vector<uint64_t>& matches,
                         const std::vector<std::string>& category_path, size_t max_values) const {
  std::vector<uint32_t> brand_counts(brand_names_.size(), 0);
  // A path this index does not know (a filter compiled elsewhere) has no category facet.
  const std::optional<uint32_t> parent = categories_.Find(category_path);
  std::vector<uint32_t> category_counts(parent ? categories_.size() : 0, 0);
  const uint32_t parent_end = parent ? categories_.subtree_end(*parent) : 0;
  const uint32_t child_depth = parent ? categories_.depth(*parent) + 1 : 0;
  for (size_t w = 0; w < matches.size(); ++w) {
    for (uint64_t word = matches[w]; word != 0; word &= word - 1) {
      const size_t d = w * 64 + static_cast<size_t>(std::countr_zero(word));
      if (brand_[d] != kNoBrand) ++brand_counts[brand_[d]];
      const uint32_t node = category_[d];
      // Strict descendants of the parent lie in (parent, parent_end).
      if (parent && node > *parent && node < parent_end) {
        ++category_counts[categories_.AncestorAtDepth(node, child_depth)];
      }
    }
  }
  Facets facets;
  facets.brands = TopValues(
      brand_counts, [&](uint32_t i) -> const std::string& { return brand_names_[i]; }, max_values);
  facets.categories = TopValues(
      category_counts, [&](uint32_t i) -> const std::string& { return categories_.name(i); },
      max_values);
  return facets;
}

size_t DocColumns::MemoryBytes() const {
  size_t bytes = (brand_.capacity() + category_.capacity()) * sizeof(uint32_t) +
                 price_.capacity() * sizeof(double) + in_stock_.capacity() / 8 +
                 brand_names_.capacity() * sizeof(std::string) +
                 brand_ids_.capacity() * (sizeof(std::string) + sizeof(uint32_t) + 1) +
                 categories_.MemoryBytes();
  for (const std::string& name : brand_names_) bytes += 2 * name.capacity();
  return bytes;
}

}  // namespace souk::lexical::internal
