// DocColumns: per-document values that filters test and facets count (brand, category, price,
// stock), taken from the Catalog when an index is built or loaded, never stored in the index file.
//
// Filters compile into a DocFilter bitset in one pass over the columns; facets count the columns
// over a bitset of matching documents. Immutable after Build; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "category_tree_internal.h"
#include "souk/catalog/catalog.h"
#include "souk/lexical/filter.h"

namespace souk::lexical::internal {

class DocColumns {
 public:
  static DocColumns Build(const catalog::Catalog& catalog);

  /// INVALID_ARGUMENT naming the field for an unknown brand or category, or bad price bounds.
  absl::StatusOr<DocFilter> Compile(const Filter& filter) const;

  /// Brand and category counts over the documents whose bit is set in `matches` (one bit per
  /// document, as in DocFilter). Categories are counted one level below `category_path`.
  Facets Count(const std::vector<uint64_t>& matches, const std::vector<std::string>& category_path,
               size_t max_values) const;

  size_t num_docs() const { return brand_.size(); }
  size_t MemoryBytes() const;

 private:
  static constexpr uint32_t kNoBrand = UINT32_MAX;

  absl::Status CheckPrices(const Filter& filter) const;

  std::vector<uint32_t> brand_;  // per doc: index into brand_names_, or kNoBrand
  std::vector<std::string> brand_names_;
  absl::flat_hash_map<std::string, uint32_t> brand_ids_;
  std::vector<uint32_t> category_;  // per doc: CategoryTree node (kRoot when uncategorized)
  CategoryTree categories_;
  std::vector<double> price_;  // per doc: NaN when unknown
  std::vector<bool> in_stock_;
};

}  // namespace souk::lexical::internal
