// ValidateProduct: the one statement of a Product's invariants (include/souk/catalog/product.h),
// shared by the readers, Catalog::Create and WriteProductsJsonl.
#include "souk/catalog/product.h"

#include <cmath>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/base/utf8.h"

namespace souk::catalog {
namespace {

absl::Status Invalid(const Product& product, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("product ", QuoteForError(product.id), ": ", what));
}

absl::Status CheckText(const Product& product, std::string_view field, std::string_view text) {
  if (IsValidUtf8(text)) return absl::OkStatus();
  return Invalid(product, StrCat(field, " is not valid UTF-8: ", QuoteForError(text)));
}

// The rule ParseCategoryPath applies to "A > B" strings, stated for levels already split.
absl::Status CheckCategory(const Product& product) {
  for (size_t i = 0; i < product.category_path.size(); ++i) {
    const std::string& level = product.category_path[i];
    SOUK_RETURN_IF_ERROR(CheckText(product, "category", level));
    if (TrimBlanks(level).empty()) {
      return Invalid(product, StrCat("category level ", i + 1, " is empty"));
    }
    if (TrimBlanks(level).size() != level.size()) {
      return Invalid(product,
                     StrCat("category level ", QuoteForError(level), " has blanks around it"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAttributes(const Product& product) {
  absl::flat_hash_set<std::string_view> names;
  for (size_t i = 0; i < product.attributes.size(); ++i) {
    const Attribute& attribute = product.attributes[i];
    if (attribute.name.empty()) {
      return Invalid(product, StrCat("attribute ", i + 1, " has an empty name"));
    }
    SOUK_RETURN_IF_ERROR(CheckText(product, "attribute name", attribute.name));
    SOUK_RETURN_IF_ERROR(CheckText(product, "attribute value", attribute.value));
    // A JSON object cannot hold a name twice: one of the two would be lost on the way back.
    if (!names.insert(attribute.name).second) {
      return Invalid(product,
                     StrCat("attribute name ", QuoteForError(attribute.name), " appears twice"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateProduct(const Product& product) {
  if (product.id.empty()) return absl::InvalidArgumentError("empty product id");
  if (!IsValidUtf8(product.id)) {
    return absl::InvalidArgumentError(
        StrCat("product id ", QuoteForError(product.id), " is not valid UTF-8"));
  }
  SOUK_RETURN_IF_ERROR(CheckText(product, "title", product.title));
  SOUK_RETURN_IF_ERROR(CheckText(product, "description", product.description));
  SOUK_RETURN_IF_ERROR(CheckText(product, "brand", product.brand));
  SOUK_RETURN_IF_ERROR(CheckText(product, "expansion", product.expansion));
  SOUK_RETURN_IF_ERROR(CheckCategory(product));
  if (product.price.has_value() && !(std::isfinite(*product.price) && *product.price >= 0)) {
    return Invalid(product, StrCat("price ", *product.price, " is not a finite number >= 0"));
  }
  if (product.created_unix_s < 0) {
    return Invalid(product, StrCat("created ", product.created_unix_s,
                                   " is not unix seconds (an integer >= 0)"));
  }
  return CheckAttributes(product);
}

std::string ProductText(const Product& product) {
  if (product.brand.empty() || product.title.find(product.brand) != std::string::npos) {
    return product.title;
  }
  return product.brand + " " + product.title;
}

}  // namespace souk::catalog
