// Product: one sellable item of a shop's catalog, as Souk indexes and returns it.
//
// A plain value type. Invariants (ValidateProduct checks them; the catalog readers, Catalog::Create
// and WriteProductsJsonl enforce them, so that what one accepts the others accept too): `id` is
// non-empty and valid UTF-8 (and unique within a catalog); all text is valid UTF-8; a price is
// finite and >= 0; created_unix_s >= 0; category levels are non-empty with no blanks around them;
// attribute names are non-empty and unique within the product. Absent numbers are
// std::nullopt, never a sentinel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
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
  /// Words shoppers may search for that the shop did not write, space-separated: `souk index`
  /// with a term expander (encoder/term_expander.h) predicts them; a shop may also supply
  /// its own. Indexed as a field of its own (lexical::Field::kExpansion), never shown.
  std::string expansion;

  bool InStock() const { return !stock.has_value() || *stock > 0; }
  bool operator==(const Product&) const = default;
};

/// OK when `product` keeps the invariants above (uniqueness of ids is the caller's to check);
/// else INVALID_ARGUMENT naming the product id and the field: `product "k1": price nan is not a
/// finite number >= 0`. An empty or ill-formed id gives `empty product id` / `product id
/// "a\xff" is not valid UTF-8`.
absl::Status ValidateProduct(const Product& product);

/// The text a product is embedded from, in training and in serving alike: its brand (unless the
/// title already names it) and title.
std::string ProductText(const Product& product);

/// Separator used when a category path is written as one string: "Home > Kitchen > Knives".
inline constexpr char kCategorySeparator[] = " > ";

}  // namespace souk::catalog
