#include "souk/catalog/product_reader.h"

#include <chrono>

#include "product_reader_internal.h"
#include "souk/base/ascii.h"
#include "souk/base/clock.h"
#include "souk/base/logging.h"
#include "souk/base/numbers.h"
#include "souk/base/quote.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::catalog {
namespace internal {

ProductCollector::ProductCollector(const std::string& path, const ReadOptions& options,
                                   ReadReport* report)
    : path_(path), options_(options), report_(report != nullptr ? report : &own_report_) {
  *report_ = ReadReport{};
}

absl::Status ProductCollector::Add(Product product, size_t line) {
  if (absl::Status valid = ValidateProduct(product); !valid.ok()) {
    return Reject(line, ToStd(valid.message()));
  }
  const auto [it, inserted] = id_lines_.try_emplace(product.id, line);
  if (!inserted) {
    return Reject(line, StrCat("duplicate product id ", QuoteForError(product.id),
                               " (first on line ", it->second, ")"));
  }
  products_.push_back(std::move(product));
  ++report_->products;
  return absl::OkStatus();
}

absl::Status ProductCollector::Reject(size_t line, std::string_view what) {
  std::string message = StrCat(path_, ":", line, ": ", what);
  if (report_->errors.size() < options_.max_reported_errors) report_->errors.push_back(message);
  if (!options_.skip_malformed) return absl::InvalidArgumentError(message);
  ++report_->skipped;
  return absl::OkStatus();
}

absl::Status ProductCollector::Fatal(size_t line, std::string_view what) const {
  return absl::InvalidArgumentError(StrCat(path_, ":", line, ": ", what));
}

std::vector<Product> ProductCollector::Finish() { return std::move(products_); }

absl::StatusOr<std::vector<std::string>> CategoryFromLevels(
    const std::vector<std::string_view>& levels, std::string_view described) {
  std::vector<std::string> path;
  path.reserve(levels.size());
  for (const std::string_view level : levels) {
    const std::string_view trimmed = TrimBlanks(level);
    if (trimmed.empty()) {
      return absl::InvalidArgumentError(StrCat("category ", described, " has an empty level"));
    }
    path.emplace_back(trimmed);
  }
  return path;
}

absl::StatusOr<double> ParsePrice(std::string_view text) {
  const std::optional<double> price = ParseWhole<double>(text);
  if (!price.has_value() || *price < 0) {
    return absl::InvalidArgumentError(
        StrCat("price ", QuoteForError(text), " is not a number >= 0"));
  }
  return *price;
}

absl::StatusOr<int64_t> ParseStock(std::string_view text) {
  const std::optional<int64_t> stock = ParseWhole<int64_t>(text);
  if (!stock.has_value()) {
    return absl::InvalidArgumentError(StrCat("stock ", QuoteForError(text), " is not an integer"));
  }
  return *stock;
}

absl::StatusOr<int64_t> ParseCreated(std::string_view text) {
  const std::optional<int64_t> created = ParseWhole<int64_t>(text);
  if (!created.has_value() || *created < 0) {
    return absl::InvalidArgumentError(
        StrCat("created ", QuoteForError(text), " is not unix seconds (an integer >= 0)"));
  }
  return *created;
}

}  // namespace internal

namespace {

std::string LowerExtension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return AsciiLower(std::string_view(path).substr(dot));
}

}  // namespace

absl::StatusOr<std::vector<Product>> ReadProducts(const std::string& path,
                                                  const ReadOptions& options, ReadReport* report) {
  const std::string ext = LowerExtension(path);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<Product>> products;
  if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") {
    products = ReadProductsJsonl(path, options, report);
  } else if (ext == ".tsv") {
    products = ReadProductsTsv(path, options, report);
  } else {
    return absl::InvalidArgumentError(StrCat("cannot tell the catalog format of ", path,
                                             ": expected .jsonl, .json, .ndjson or .tsv"));
  }
  if (products.ok()) {
    SOUK_LOG_INFO("catalog", "read ", products->size(), " products from ", path, " in ",
                  MillisSince(start), " ms");
  }
  return products;
}

absl::StatusOr<std::vector<std::string>> ParseCategoryPath(std::string_view text) {
  if (TrimBlanks(text).empty()) return std::vector<std::string>();
  std::vector<std::string_view> levels;
  std::string_view rest = text;
  for (size_t sep = rest.find('>'); sep != std::string_view::npos; sep = rest.find('>')) {
    levels.push_back(rest.substr(0, sep));
    rest.remove_prefix(sep + 1);
  }
  levels.push_back(rest);
  return internal::CategoryFromLevels(levels, QuoteForError(text));
}

}  // namespace souk::catalog
