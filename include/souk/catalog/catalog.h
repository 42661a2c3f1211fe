// Catalog: an immutable, indexed set of products with the external id <-> DocId map.
//
// DocIds are positions in the product vector given to Create, so they are stable for the life
// of one Catalog and meaningless across catalogs. Immutable after creation: safe to share between
// threads without locking.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "souk/catalog/product.h"

namespace souk::catalog {

class Catalog {
 public:
  /// Fails with INVALID_ARGUMENT on a product that fails ValidateProduct (product.h) or a
  /// duplicate product id, naming the id and its position.
  static absl::StatusOr<std::unique_ptr<Catalog>> Create(std::vector<Product> products);

  size_t size() const { return products_.size(); }
  const Product& product(DocId doc) const;
  const std::vector<Product>& products() const { return products_; }
  std::optional<DocId> Find(std::string_view product_id) const;
  /// The brand of `product_id`; "" for an unknown or brandless product.
  std::string_view BrandOf(std::string_view product_id) const;

 private:
  explicit Catalog(std::vector<Product> products);

  std::vector<Product> products_;
  absl::flat_hash_map<std::string, DocId> by_id_;
};

}  // namespace souk::catalog
