#include "souk/catalog/catalog.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "souk/base/check.h"
#include "souk/base/quote.h"
#include "souk/base/str_cat.h"

namespace souk::catalog {

absl::StatusOr<std::unique_ptr<Catalog>> Catalog::Create(std::vector<Product> products) {
  // DocId is 32-bit: a larger catalog would silently wrap ids.
  if (products.size() > std::numeric_limits<DocId::ValueType>::max()) {
    return absl::InvalidArgumentError(
        StrCat("catalog has ", products.size(), " products, more than DocId can address"));
  }
  absl::flat_hash_map<std::string, DocId> by_id;
  by_id.reserve(products.size());
  for (size_t i = 0; i < products.size(); ++i) {
    const std::string& id = products[i].id;
    if (absl::Status valid = ValidateProduct(products[i]); !valid.ok()) {
      return absl::InvalidArgumentError(StrCat(valid.message(), " (at position ", i, ")"));
    }
    const auto [it, inserted] = by_id.try_emplace(id, DocId(static_cast<uint32_t>(i)));
    if (!inserted) {
      return absl::InvalidArgumentError(StrCat("duplicate product id ", QuoteForError(id),
                                               " at positions ", it->second.value(), " and ", i));
    }
  }
  std::unique_ptr<Catalog> catalog(new Catalog(std::move(products)));
  catalog->by_id_ = std::move(by_id);
  return catalog;
}

Catalog::Catalog(std::vector<Product> products) : products_(std::move(products)) {}

const Product& Catalog::product(DocId doc) const {
  SOUK_CHECK(doc.value() < products_.size());
  return products_[doc.value()];
}

std::optional<DocId> Catalog::Find(std::string_view product_id) const {
  // absl's string hash is transparent: look up without building a std::string.
  const auto it = by_id_.find(absl::string_view(product_id.data(), product_id.size()));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::string_view Catalog::BrandOf(std::string_view product_id) const {
  const std::optional<DocId> doc = Find(product_id);
  return doc ? std::string_view(product(*doc).brand) : std::string_view();
}

}  // namespace souk::catalog
