// Pieces shared by the JSONL and TSV catalog readers: line splitting, the collection of products
// and of per-line errors, and the parsing of field values common to both formats.
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

/// Iterates over the lines of a whole file: '\n' ends a line, a '\r' before it is dropped, and a
/// UTF-8 byte order mark at the start of the file is skipped.
class LineCursor {
 public:
  explicit LineCursor(std::string_view contents);
  /// Sets `*line` to the next line without its terminator; false at the end of the file.
  bool Next(std::string_view* line);
  /// 1-based number of the line last returned by Next.
  size_t line_number() const { return line_number_; }

 private:
  std::string_view rest_;
  size_t line_number_ = 0;
};

/// Receives the products of one file and its malformed lines, and applies ReadOptions.
class ProductCollector {
 public:
  ProductCollector(const std::string& path, const ReadOptions& options, ReadReport* report);

  /// Keeps `product` if its id is non-empty, valid UTF-8 and not seen before; else Reject()s it.
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

/// Strict decimal parsing of a whole field (ASCII blanks around it allowed): nullopt on anything
/// else, including an empty field, "inf" and "nan".
std::optional<double> ParseDouble(std::string_view text);
std::optional<int64_t> ParseInt64(std::string_view text);

/// A price field: a finite number >= 0. The error says what is wrong with `text`.
absl::StatusOr<double> ParsePrice(std::string_view text);
/// A stock field: an integer (negative means backordered).
absl::StatusOr<int64_t> ParseStock(std::string_view text);
/// A created field: unix seconds, an integer >= 0.
absl::StatusOr<int64_t> ParseCreated(std::string_view text);

}  // namespace souk::catalog::internal
