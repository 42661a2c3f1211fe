#include "souk/catalog/product_reader.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>

#include "product_reader_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"
#include "utf8_internal.h"

namespace souk::catalog {
namespace internal {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
std::optional<T> ParseWhole(std::string_view text) {
  text = TrimBlanks(text);
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

LineCursor::LineCursor(std::string_view contents) : rest_(contents) {
  if (rest_.substr(0, kUtf8Bom.size()) == kUtf8Bom) rest_.remove_prefix(kUtf8Bom.size());
}

bool LineCursor::Next(std::string_view* line) {
  if (rest_.empty()) return false;
  const size_t end = rest_.find('\n');
  *line = rest_.substr(0, end);
  rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  ++line_number_;
  return true;
}

ProductCollector::ProductCollector(const std::string& path, const ReadOptions& options,
                                   ReadReport* report)
    : path_(path), options_(options), report_(report != nullptr ? report : &own_report_) {
  *report_ = ReadReport{};
}

absl::Status ProductCollector::Add(Product product, size_t line) {
  if (product.id.empty()) return Reject(line, "empty product id");
  if (!IsValidUtf8(product.id)) {
    return Reject(line, StrCat("product id ", QuoteForError(product.id), " is not valid UTF-8"));
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

std::optional<double> ParseDouble(std::string_view text) {
  std::optional<double> value = ParseWhole<double>(text);
  if (value.has_value() && !std::isfinite(*value)) return std::nullopt;
  return value;
}

std::optional<int64_t> ParseInt64(std::string_view text) { return ParseWhole<int64_t>(text); }

absl::StatusOr<double> ParsePrice(std::string_view text) {
  const std::optional<double> price = ParseDouble(text);
  if (!price.has_value() || *price < 0) {
    return absl::InvalidArgumentError(
        StrCat("price ", QuoteForError(text), " is not a number >= 0"));
  }
  return *price;
}

absl::StatusOr<int64_t> ParseStock(std::string_view text) {
  const std::optional<int64_t> stock = ParseInt64(text);
  if (!stock.has_value()) {
    return absl::InvalidArgumentError(StrCat("stock ", QuoteForError(text), " is not an integer"));
  }
  return *stock;
}

absl::StatusOr<int64_t> ParseCreated(std::string_view text) {
  const std::optional<int64_t> created = ParseInt64(text);
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
  std::string ext = path.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
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
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    SOUK_LOG_INFO("catalog", "read ", products->size(), " products from ", path, " in ", ms, " ms");
  }
  return products;
}

absl::StatusOr<std::vector<std::string>> ParseCategoryPath(std::string_view text) {
  std::vector<std::string> path;
  if (internal::TrimBlanks(text).empty()) return path;
  std::string_view rest = text;
  while (true) {
    const size_t sep = rest.find('>');
    const std::string_view level = internal::TrimBlanks(rest.substr(0, sep));
    if (level.empty()) {
      return absl::InvalidArgumentError(
          StrCat("category ", internal::QuoteForError(text), " has an empty level"));
    }
    path.emplace_back(level);
    if (sep == std::string_view::npos) return path;
    rest.remove_prefix(sep + 1);
  }
}


}  // namespace souk::catalog
