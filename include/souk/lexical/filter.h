// Filters restrict a search to a subset of the catalog; Facets count the values of the matches.
//
// A Filter is what a request asks for (strings); the index compiles it into a DocFilter (a bitset
// over DocIds) once per request, so the top-k loop only tests bits. Compiling fails with
// INVALID_ARGUMENT naming the field when a value is unknown to the catalog ("filters.brands:
// unknown brand 'Acme'"): an unknown value is almost always a client bug, and an empty page
// would hide it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "souk/base/check.h"
#include "souk/catalog/product.h"

namespace souk::lexical {

struct Filter {
  /// Category subtree, root first ({"Home", "Kitchen"} matches "Home > Kitchen > Knives").
  std::vector<std::string> category_path{};
  std::vector<std::string> brands{};  ///< Any of these brands (exact, case-sensitive); empty = any.
  std::optional<double> min_price{};  ///< Inclusive; products without a price never match a bound.
  std::optional<double> max_price{};  ///< Inclusive.
  bool in_stock_only = false;         ///< Only products with Product::InStock().

  bool empty() const {
    return category_path.empty() && brands.empty() && !min_price && !max_price && !in_stock_only;
  }
};

/// A compiled filter: the set of DocIds that pass. Immutable; cheap to test.
class DocFilter {
 public:
  /// `bits` holds at least ceil(num_docs / 64) words; bit d of word d / 64 is DocId d.
  /// `category_path` is the filter's category, whose children the category facet counts.
  explicit DocFilter(std::vector<uint64_t> bits, size_t num_docs,
                     std::vector<std::string> category_path = {})
      : bits_(std::move(bits)), num_docs_(num_docs), category_path_(std::move(category_path)) {
    SOUK_CHECK(bits_.size() * 64 >= num_docs_);
  }
  bool Contains(catalog::DocId doc) const {
    const uint32_t d = doc.value();
    return (bits_[d >> 6] >> (d & 63)) & 1u;
  }
  size_t num_docs() const { return num_docs_; }
  /// Number of documents that pass.
  size_t Count() const;
  const std::vector<std::string>& category_path() const { return category_path_; }

 private:
  std::vector<uint64_t> bits_;
  size_t num_docs_;
  std::vector<std::string> category_path_;
};

struct FacetValue {
  std::string value;
  uint32_t count = 0;
  bool operator==(const FacetValue&) const = default;
};

/// Counts over all matching documents (not only the returned page), highest count first.
struct Facets {
  std::vector<FacetValue> brands;
  /// Category values one level below the filter's category (top level when unfiltered).
  std::vector<FacetValue> categories;
};

}  // namespace souk::lexical
