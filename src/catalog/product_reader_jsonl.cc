// JSONL catalogs: reading (one product object per line) and writing.

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "nlohmann/json.hpp"
#include "product_reader_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/catalog/product_reader.h"

namespace souk::catalog {
namespace {

// ordered_json keeps the keys of an object in file order, so attributes come back in the order
// they were written and read(write(x)) == x.
using Json = nlohmann::ordered_json;

absl::Status TypeError(std::string_view key, std::string_view expected) {
  return absl::InvalidArgumentError(StrCat("\"", key, "\" must be ", expected));
}

template <typename T, typename U>
absl::Status Assign(absl::StatusOr<T> value, U* out) {
  if (!value.ok()) return value.status();
  *out = std::move(*value);
  return absl::OkStatus();
}

// Numbers are re-parsed from their JSON text so that JSON numbers and numeric strings (which
// spreadsheet exports write) pass the same checks and give the same messages.
absl::StatusOr<std::string> NumberText(std::string_view key, const Json& value, bool integer) {
  if (value.is_string()) return value.get<std::string>();
  if (integer ? value.is_number_integer() : value.is_number()) return value.dump();
  return TypeError(key, integer ? "an integer or a string of one" : "a number or a numeric string");
}

absl::StatusOr<std::string> IdField(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  return TypeError("id", "a string or an integer");
}

absl::StatusOr<std::string> TextField(std::string_view key, const Json& value) {
  if (!value.is_string()) return TypeError(key, "a string");
  return value.get<std::string>();
}

absl::StatusOr<std::vector<std::string>> CategoryField(const Json& value) {
  if (value.is_string()) return ParseCategoryPath(value.get_ref<const std::string&>());
  if (!value.is_array()) {
    return TypeError("category", "an array of strings or one \"A > B\" string");
  }
  std::vector<std::string_view> levels;
  for (const Json& level : value) {
    if (!level.is_string()) return TypeError("category", "an array of non-empty strings");
    levels.push_back(level.get_ref<const std::string&>());
  }
  // The string form's rule: levels trimmed, none empty. JSON text quotes the array well enough
  // for the message; a long one is only counted.
  std::string described = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (described.size() > 80) described = StrCat("array of ", levels.size(), " levels");
  return internal::CategoryFromLevels(levels, described);
}

absl::StatusOr<std::vector<Attribute>> AttributesField(const Json& value) {
  if (!value.is_object()) return TypeError("attributes", "an object");
  std::vector<Attribute> attributes;
  for (const auto& item : value.items()) {
    const Json& v = item.value();
    if (item.key().empty()) return absl::InvalidArgumentError("attribute with an empty name");
    if (v.is_string()) {
      attributes.push_back({item.key(), v.get<std::string>()});
    } else if (v.is_number() || v.is_boolean()) {
      attributes.push_back({item.key(), v.dump()});
    } else {
      return absl::InvalidArgumentError(StrCat("attribute ", QuoteForError(item.key()),
                                               " must be a string, a number or a boolean"));
    }
  }
  return attributes;
}

absl::Status SetField(const std::string& key, const Json& value, Product* product) {
  if (key == "id") return Assign(IdField(value), &product->id);
  // null is "absent" for every optional field, as many exporters write it.
  if (value.is_null()) return absl::OkStatus();
  if (key == "title") return Assign(TextField(key, value), &product->title);
  if (key == "description") return Assign(TextField(key, value), &product->description);
  if (key == "brand") return Assign(TextField(key, value), &product->brand);
  if (key == "expansion") return Assign(TextField(key, value), &product->expansion);
  if (key == "category") return Assign(CategoryField(value), &product->category_path);
  if (key == "attributes") return Assign(AttributesField(value), &product->attributes);
  if (key == "price" || key == "stock" || key == "created") {
    SOUK_ASSIGN_OR_RETURN(const std::string text, NumberText(key, value, key != "price"));
    if (key == "price") return Assign(internal::ParsePrice(text), &product->price);
    if (key == "stock") return Assign(internal::ParseStock(text), &product->stock);
    return Assign(internal::ParseCreated(text), &product->created_unix_s);
  }
  return absl::InvalidArgumentError(StrCat("unknown key ", QuoteForError(key)));
}

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 11:
// syntax error ...; last read: '<bytes>'". The line and the file are ours to name (each line is
// parsed alone, so nlohmann's line is always 1), and the bytes it quotes are raw input: they are
// re-quoted with QuoteForError so that a control byte or broken UTF-8 cannot garble the message.
std::string ParseErrorMessage(const Json::parse_error& e) {
  std::string_view what = e.what();
  const size_t colon = what.find(": ", what.find("parse error"));
  what.remove_prefix(colon == std::string_view::npos ? 0 : colon + 2);
  std::string message = StrCat("invalid JSON at column ", e.byte, ": ");
  constexpr std::string_view kLastRead = "last read: '";
  const size_t start = what.find(kLastRead);
  if (start == std::string_view::npos) return StrCat(message, what);
  const size_t begin = start + kLastRead.size();
  size_t end = what.find("'; expected", begin);
  if (end == std::string_view::npos) end = what.rfind('\'');
  if (end == std::string_view::npos || end < begin) end = what.size();
  return StrCat(message, what.substr(0, start),
                "last read: ", QuoteForError(what.substr(begin, end - begin)),
                what.substr(std::min(end + 1, what.size())));
}

absl::StatusOr<Product> ProductFromJsonLine(std::string_view line) {
  try {
    const Json object = Json::parse(line);
    if (!object.is_object()) return absl::InvalidArgumentError("expected a JSON object");
    if (!object.contains("id")) return absl::InvalidArgumentError("missing \"id\"");
    Product product;
    for (const auto& item : object.items()) {
      SOUK_RETURN_IF_ERROR(SetField(item.key(), item.value(), &product));
    }
    return product;
  } catch (const Json::parse_error& e) {
    return absl::InvalidArgumentError(ParseErrorMessage(e));
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(StrCat("invalid JSON: ", QuoteForError(e.what())));
  }
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

Json ToJson(const Product& product) {
  Json json = Json::object();
  // Defaults are left out: they read back as the same defaults and keep files small.
  json["id"] = product.id;
  if (!product.title.empty()) json["title"] = product.title;
  if (!product.description.empty()) json["description"] = product.description;
  if (!product.brand.empty()) json["brand"] = product.brand;
  if (!product.category_path.empty()) json["category"] = product.category_path;
  if (product.price.has_value()) json["price"] = *product.price;
  if (product.stock.has_value()) json["stock"] = *product.stock;
  if (!product.attributes.empty()) {
    Json attributes = Json::object();
    for (const Attribute& attribute : product.attributes)
      attributes[attribute.name] = attribute.value;
    json["attributes"] = std::move(attributes);
  }
  if (product.created_unix_s != 0) json["created"] = product.created_unix_s;
  if (!product.expansion.empty()) json["expansion"] = product.expansion;
  return json;
}

}  // namespace

absl::StatusOr<std::vector<Product>> ReadProductsJsonl(const std::string& path,
                                                       const ReadOptions& options,
                                                       ReadReport* report) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  internal::ProductCollector collector(path, options, report);
  LineCursor lines(contents);
  std::string_view line;
  while (lines.Next(&line)) {
    if (IsBlank(line)) continue;
    absl::StatusOr<Product> product = ProductFromJsonLine(line);
    SOUK_RETURN_IF_ERROR(
        product.ok() ? collector.Add(std::move(*product), lines.line_number())
                     : collector.Reject(lines.line_number(), ToStd(product.status().message())));
  }
  return collector.Finish();
}

std::string ProductToJson(const Product& product) {
  // Replacing ill-formed UTF-8 with U+FFFD instead of throwing: this function cannot fail.
  return ToJson(product).dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

absl::Status WriteProductsJsonl(const std::string& path, const std::vector<Product>& products) {
  // Write only what ReadProductsJsonl reads back equal: no NaN price (JSON has none), no empty
  // or duplicate id or attribute name, no level the reader would trim or refuse.
  absl::flat_hash_map<std::string_view, size_t> positions;
  positions.reserve(products.size());
  std::string contents;
  for (size_t i = 0; i < products.size(); ++i) {
    const Product& product = products[i];
    if (absl::Status valid = ValidateProduct(product); !valid.ok()) {
      return Annotate(valid, StrCat("writing ", path, ": product at position ", i));
    }
    const auto [it, inserted] = positions.try_emplace(product.id, i);
    if (!inserted) {
      return absl::InvalidArgumentError(StrCat("writing ", path, ": duplicate product id ",
                                               QuoteForError(product.id), " at positions ",
                                               it->second, " and ", i));
    }
    contents += ProductToJson(product);
    contents += '\n';
  }
  return WriteFileAtomically(path, contents);
}

}  // namespace souk::catalog
