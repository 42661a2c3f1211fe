// The small shop the fuzz targets that need a catalog share: six products (English and Chinese
// titles, brands, two-level categories, prices, stock, an attribute), the default analyzer and
// their lexical index, built once on first use.
#pragma once

#include <memory>

#include "souk/catalog/catalog.h"
#include "souk/lexical/inverted_index.h"
#include "souk/text/analyzer.h"

namespace souk::fuzz {

struct Shop {
  std::unique_ptr<text::Analyzer> analyzer;
  std::unique_ptr<catalog::Catalog> catalog;
  lexical::LexicalOptions lexical;
  std::unique_ptr<lexical::InvertedIndex> index;
};

const Shop& TheShop();

}  // namespace souk::fuzz
