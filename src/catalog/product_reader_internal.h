// Pieces shared by the JSONL and TSV catalog readers: the collection of products and of per-line
// errors, and the parsing of field values common to both formats. (Line splitting, number
// parsing and quoting are base's: souk/base/text_lines.h, numbers.h, quote.h.)
// Not thread-safe; one instance per read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/catalog/product.h"
#include "souk/catalog/product_reader.h"

namespace souk::catalog::internal {

/// Receives the products of one file and its malformed lines, and applies ReadOptions.
class ProductCollector {
 public:
  ProductCollector(const std::string& path, const ReadOptions& options, ReadReport* report);

  /// Keeps `product` if it passes ValidateProduct and its id was not seen before; else
  /// Reject()s it.
  absl::Status Add(Product product, size_t line);
  /// Records "<path>:<line>: <what>". Returns that error, or OK when malformed lines are skipped.
  absl::Status Reject(size_t line, std::string_view what);
  /// An error about the whole file (a bad header): never skipped.
  absl::Status Fatal(size_t line, std::string_view what) const;
  /// The products kept, in file order.
  std::vector<Product> Finish();

 private:
  const std::string& path_;
  const ReadOptions& options_;
  ReadReport own_report_;  // used when the caller passes no report
  ReadReport* report_;     // filled as lines come, so it also describes a failed read
  std::vector<Product> products_;
  absl::flat_hash_map<std::string, size_t> id_lines_;  // id -> line it was first read on
};

/// The one rule for category levels, whether split from "A > B" or given as a JSON array: blanks
/// around each level are trimmed, and an empty level is the error "category <described> has an
/// empty level" (`described`: the value as written, already quoted).
absl::StatusOr<std::vector<std::string>> CategoryFromLevels(
    const std::vector<std::string_view>& levels, std::string_view described);

/// A price field: a finite number >= 0. The error says what is wrong with `text`.
absl::StatusOr<double> ParsePrice(std::string_view text);
/// A stock field: an integer (negative means backordered).
absl::StatusOr<int64_t> ParseStock(std::string_view text);
/// A created field: unix seconds, an integer >= 0.
absl::StatusOr<int64_t> ParseCreated(std::string_view text);

}  // namespace souk::catalog::internal
