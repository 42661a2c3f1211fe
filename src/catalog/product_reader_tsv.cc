// TSV catalogs: a header line naming the columns, then one product per line.

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "product_reader_internal.h"
#include "souk/base/ascii.h"
#include "souk/base/file_util.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/base/utf8.h"
#include "souk/catalog/product_reader.h"

namespace souk::catalog {
namespace {

enum class Column {
  kId,
  kTitle,
  kDescription,
  kBrand,
  kCategory,
  kPrice,
  kStock,
  kCreated,
  kAttribute
};

struct Layout {
  std::vector<Column> columns;
  std::vector<std::string> names;  // as written in the header (attribute names keep their case)
};

constexpr std::pair<std::string_view, Column> kFields[] = {
    {"title", Column::kTitle},    {"description", Column::kDescription},
    {"brand", Column::kBrand},    {"category", Column::kCategory},
    {"price", Column::kPrice},    {"stock", Column::kStock},
    {"created", Column::kCreated}};

Column ColumnNamed(std::string_view lower_name) {
  for (const auto& [name, column] : kFields) {
    if (name == lower_name) return column;
  }
  return Column::kAttribute;
}

// A file without its header would take its first product for the header and every later
// line's cells for attributes named after that product: refuse a header naming none of our fields.
absl::Status CheckNamesAKnownField(const Layout& layout) {
  for (const Column column : layout.columns) {
    if (column != Column::kId && column != Column::kAttribute) return absl::OkStatus();
  }
  std::string known;
  for (const auto& [name, column] : kFields) known += StrCat(known.empty() ? "" : ", ", name);
  return absl::InvalidArgumentError(
      StrCat("header names no known column (", known, "); is the header line missing?"));
}

absl::StatusOr<Layout> ParseHeader(std::string_view line) {
  if (line.empty()) return absl::InvalidArgumentError("empty header line");
  if (!IsValidUtf8(line)) return absl::InvalidArgumentError("header is not valid UTF-8");
  std::vector<std::string_view> cells;
  SplitTabs(line, &cells);
  Layout layout;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty() && i > 0) {
      return absl::InvalidArgumentError(StrCat("column ", i + 1, " has an empty name"));
    }
    std::string lower = AsciiLower(cells[i]);
    layout.columns.push_back(i == 0 ? Column::kId : ColumnNamed(lower));
    layout.names.emplace_back(cells[i]);
    if (!seen.insert(std::move(lower)).second) {
      return absl::InvalidArgumentError(
          StrCat("column name ", QuoteForError(cells[i]), " appears twice"));
    }
  }
  SOUK_RETURN_IF_ERROR(CheckNamesAKnownField(layout));
  return layout;
}

absl::Status FillField(Column column, const std::string& name, std::string_view cell,
                       Product* product) {
  // Blank numeric cells mean "unknown", as spreadsheets leave them.
  const bool blank = cell.find_first_not_of(' ') == std::string_view::npos;
  switch (column) {
    case Column::kId:
      product->id = cell;
      break;
    case Column::kTitle:
      product->title = cell;
      break;
    case Column::kDescription:
      product->description = cell;
      break;
    case Column::kBrand:
      product->brand = cell;
      break;
    case Column::kCategory: {
      SOUK_ASSIGN_OR_RETURN(product->category_path, ParseCategoryPath(cell));
      break;
    }
    case Column::kPrice: {
      if (blank) break;
      SOUK_ASSIGN_OR_RETURN(product->price, internal::ParsePrice(cell));
      break;
    }
    case Column::kStock: {
      if (blank) break;
      SOUK_ASSIGN_OR_RETURN(product->stock, internal::ParseStock(cell));
      break;
    }
    case Column::kCreated: {
      if (blank) break;
      SOUK_ASSIGN_OR_RETURN(product->created_unix_s, internal::ParseCreated(cell));
      break;
    }
    case Column::kAttribute:
      if (!cell.empty()) product->attributes.push_back({name, std::string(cell)});
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<Product> ParseRow(const Layout& layout, std::string_view line,
                                 std::vector<std::string_view>* cells) {
  SplitTabs(line, cells);
  if (cells->size() != layout.columns.size()) {
    return absl::InvalidArgumentError(
        StrCat("expected ", layout.columns.size(), " tab-separated columns, got ", cells->size()));
  }
  Product product;
  for (size_t i = 0; i < cells->size(); ++i) {
    const std::string_view cell = (*cells)[i];
    if (!IsValidUtf8(cell)) {
      return absl::InvalidArgumentError(StrCat("column ", QuoteForError(layout.names[i]),
                                               " is not valid UTF-8: ", QuoteForError(cell)));
    }
    SOUK_RETURN_IF_ERROR(FillField(layout.columns[i], layout.names[i], cell, &product));
  }
  return product;
}

}  // namespace

absl::StatusOr<std::vector<Product>> ReadProductsTsv(const std::string& path,
                                                     const ReadOptions& options,
                                                     ReadReport* report) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  internal::ProductCollector collector(path, options, report);
  LineCursor lines(contents);
  std::string_view line;
  if (!lines.Next(&line)) {
    return absl::InvalidArgumentError(StrCat(path, ": empty file, expected a header line"));
  }
  absl::StatusOr<Layout> layout = ParseHeader(line);
  if (!layout.ok()) return collector.Fatal(1, ToStd(layout.status().message()));

  std::vector<std::string_view> cells;
  while (lines.Next(&line)) {
    if (line.empty()) continue;
    absl::StatusOr<Product> product = ParseRow(*layout, line, &cells);
    SOUK_RETURN_IF_ERROR(
        product.ok() ? collector.Add(std::move(*product), lines.line_number())
                     : collector.Reject(lines.line_number(), ToStd(product.status().message())));
  }
  return collector.Finish();
}

}  // namespace souk::catalog
