// TSV catalogs: a header line naming the columns, then one product per line.

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "product_reader_internal.h"
#include "souk/base/utf8.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"
#include "utf8_internal.h"

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

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

Column ColumnNamed(std::string_view lower_name) {
  static constexpr std::pair<std::string_view, Column> kFields[] = {
      {"title", Column::kTitle},    {"description", Column::kDescription},
      {"brand", Column::kBrand},    {"category", Column::kCategory},
      {"price", Column::kPrice},    {"stock", Column::kStock},
      {"created", Column::kCreated}};
  for (const auto& [name, column] : kFields) {
    if (name == lower_name) return column;
  }
  return Column::kAttribute;
}

// No quoting and no escapes: a tab always separates cells (the IANA text/tab-separated-values
// rule), which is how the Home Depot export and spreadsheet "TSV" exports write them.
void SplitTabs(std::string_view line, std::vector<std::string_view>* cells) {
  cells->clear();
  while (true) {
    const size_t tab = line.find('\t');
    cells->push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return;
    line.remove_prefix(tab + 1);
  }
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
          StrCat("column name ", internal::QuoteForError(cells[i]), " appears twice"));
    }
  }
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
      return absl::InvalidArgumentError(
          StrCat("column ", internal::QuoteForError(layout.names[i]),
                 " is not valid UTF-8: ", internal::QuoteForError(cell)));
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
  internal::LineCursor lines(contents);
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
