// Reading and writing catalog files.
//
// Formats (docs/formats/catalog.md):
//  - JSONL: one JSON object per line with keys id, title, description, brand, category (array of
//    strings, or one string "A > B > C"), price, stock, attributes (object of strings), created
//    (unix seconds). Only id is required. Unknown keys are errors; a repeated key keeps its last
//    value. Numbers may also be written as numeric strings; a number or boolean attribute value
//    is kept as its JSON text. Category levels, array or string, are trimmed and must not be
//    empty.
//  - TSV with a header line: the first column is the id whatever its name; the columns named
//    title, description, brand, category ("A > B > C"), price, stock, created fill those fields;
//    every other column becomes an attribute named after its header (empty cells are skipped).
//    A header naming none of those fields is refused (the header line is probably missing).
// The format is chosen by extension: .jsonl / .json / .ndjson vs .tsv.
//
// Every product must pass ValidateProduct (product.h) and ids must be unique in the file, so that
// what a reader returns always passes Catalog::Create and WriteProductsJsonl. A UTF-8 BOM and CRLF
// line ends are tolerated; empty lines are skipped. A malformed line is reported as "<file>:<line>:
// <what>". With skip_malformed the reader counts it, keeps up to `max_reported_errors` messages and
// goes on; otherwise it stops at the first one. The functions keep no state: safe to call from
// several threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/catalog/product.h"

namespace souk::catalog {

struct ReadOptions {
  bool skip_malformed = false;      ///< Skip and count bad lines instead of failing.
  size_t max_reported_errors = 20;  ///< Messages kept in ReadReport::errors.
};

struct ReadReport {
  size_t products = 0;              ///< Products read.
  size_t skipped = 0;               ///< Malformed lines skipped (skip_malformed only).
  std::vector<std::string> errors;  ///< The first few "<file>:<line>: <what>" messages.
};

absl::StatusOr<std::vector<Product>> ReadProducts(const std::string& path,
                                                  const ReadOptions& options,
                                                  ReadReport* report = nullptr);
absl::StatusOr<std::vector<Product>> ReadProductsJsonl(const std::string& path,
                                                       const ReadOptions& options,
                                                       ReadReport* report = nullptr);
absl::StatusOr<std::vector<Product>> ReadProductsTsv(const std::string& path,
                                                     const ReadOptions& options,
                                                     ReadReport* report = nullptr);

/// Parses a category path written as one string, "Home > Kitchen > Knives" (levels split at '>',
/// blanks around them trimmed). Blank text is the empty path; an empty level is
/// INVALID_ARGUMENT. Catalog files and search filters both use this.
absl::StatusOr<std::vector<std::string>> ParseCategoryPath(std::string_view text);

/// Writes products as JSONL (the format above), atomically. INVALID_ARGUMENT, and nothing
/// written, when a product fails ValidateProduct or an id repeats: what is written always reads
/// back equal.
absl::Status WriteProductsJsonl(const std::string& path, const std::vector<Product>& products);
/// One product as one JSONL line (no trailing newline).
std::string ProductToJson(const Product& product);

}  // namespace souk::catalog
