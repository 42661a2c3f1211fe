#include "fuzz_shop.h"

#include <string>
#include <vector>

#include "fuzz_support.h"

namespace souk::fuzz {
namespace {

std::vector<catalog::Product> Products() {
  const char* titles[] = {"Cordless drill 18V",  "Garden hose 50 ft",    "蓝牙耳机 无线",
                          "Drill bits, 20 pack", "Cordless leaf blower", "LED ceiling light"};
  const char* brands[] = {"DeWalt", "Flexzilla", "小米", "DeWalt", "Ryobi", ""};
  std::vector<catalog::Product> products(6);
  for (size_t i = 0; i < products.size(); ++i) {
    products[i].id = "p" + std::to_string(i);
    products[i].title = titles[i];
    products[i].brand = brands[i];
    products[i].category_path = {"Tools", i % 2 == 0 ? "Power" : "Hand"};
    products[i].price = 10.0 * static_cast<double>(i + 1);
    products[i].stock = static_cast<int64_t>(i % 3);
    products[i].attributes = {{"color", i % 2 == 0 ? "red" : "blue"}};
  }
  return products;
}

}  // namespace

const Shop& TheShop() {
  static const Shop* shop = [] {
    auto analyzer = text::Analyzer::Create(text::AnalyzerOptions{});
    auto catalog = catalog::Catalog::Create(Products());
    if (!analyzer.ok() || !catalog.ok()) Fail("setting up the shop's catalog and analyzer");
    const lexical::LexicalOptions options;
    auto index = lexical::InvertedIndex::Build(**catalog, **analyzer, options);
    if (!index.ok()) Fail("indexing the shop");
    return new Shop{std::move(*analyzer), std::move(*catalog), options, std::move(*index)};
  }();
  return *shop;
}

}  // namespace souk::fuzz
