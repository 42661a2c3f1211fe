// Product: one sellable item of a shop's catalog, as Souk indexes and returns it.
//
// A plain value type. Invariants a Catalog enforces: `id` is non-empty, valid UTF-8 and unique.
// Text fields are UTF-8. Absent numbers are std::nullopt, never a sentinel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "souk/base/strong_id.h"

namespace souk::catalog {

/// Dense position of a product in one Catalog (0..size-1); valid only for that catalog.
using DocId = StrongId<struct DocIdTag, uint32_t>;

/// A free-form product attribute such as {"color", "white"} or {"size", "1/2 in."}.
struct Attribute {
  std::string name;
  std::string value;
  bool operator==(const Attribute&) const = default;
};

struct Product {
  std::string id;           ///< The shop's own product id (external id).
  std::string title;        ///< Listing title; the most important text field.
  std::string description;  ///< Free text; may be empty.
  std::string brand;        ///< Empty when unknown.
  /// Category path, root first: {"Home", "Kitchen", "Knives"}. Empty when uncategorized.
  std::vector<std::string> category_path;
  std::optional<double> price;  ///< In the shop's currency; absent when unknown.
  /// Units in stock; absent when the shop does not track stock (treated as in stock).
  std::optional<int64_t> stock;
  std::vector<Attribute> attributes;
  int64_t created_unix_s = 0;  ///< Listing time, seconds since the epoch; 0 when unknown.

  bool InStock() const { return !stock.has_value() || *stock > 0; }
  bool operator==(const Product&) const = default;
};

/// Separator used when a category path is written as one string: "Home > Kitchen > Knives".
inline constexpr char kCategorySeparator[] = " > ";

}  // namespace souk::catalog
