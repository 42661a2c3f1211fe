// A tiny catalog written as an index directory in a temp dir, shared by the engine tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "souk/catalog/product.h"
#include "souk/encoder/model_directory.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/index_directory.h"
#include "souk/engine/search_engine.h"
#include "support/test_support.h"

namespace souk::engine::testing {

inline catalog::Product MakeProduct(std::string id, std::string title, std::string brand,
                                    std::vector<std::string> category, double price,
                                    std::optional<int64_t> stock = std::nullopt) {
  catalog::Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.brand = std::move(brand);
  p.category_path = std::move(category);
  p.price = price;
  p.stock = stock;
  return p;
}

inline std::vector<catalog::Product> SmallCatalog() {
  return {
      MakeProduct("p1", "Makita 18V Cordless Drill Driver", "Makita", {"Tools", "Power Tools"},
                  99.0, 5),
      MakeProduct("p2", "Bosch Hammer Drill Bit Set 10 pc", "Bosch", {"Tools", "Accessories"}, 25.0,
                  0),
      MakeProduct("p3", "小米 无线蓝牙耳机 降噪", "小米", {"电子产品", "耳机"}, 199.0),
      MakeProduct("p4", "Gilmour Garden Hose 50 ft", "Gilmour", {"Garden", "Watering"}, 30.0),
      MakeProduct("p5", "DeWalt 20V Cordless Drill Kit", "DeWalt", {"Tools", "Power Tools"}, 149.0,
                  3),
      MakeProduct("p6", "Makita Drill Bits Titanium", "Makita", {"Tools", "Accessories"}, 19.0, 10),
  };
}

inline SnapshotOptions OptionsFor(const std::string& dir) {
  SnapshotOptions options;
  options.index_dir = dir;
  return options;
}

/// A search engine over SmallCatalog, its index written under `dir`.
inline std::unique_ptr<SearchEngine> SmallEngine(const std::string& dir,
                                                 const events::Aggregates* events = nullptr) {
  const SnapshotOptions options = OptionsFor(dir);
  EXPECT_OK(WriteIndexDirectory(SmallCatalog(), options));
  auto snapshot = Snapshot::Load(options);
  EXPECT_OK(snapshot);
  if (!snapshot.ok()) return nullptr;
  auto engine = SearchEngine::Create(SearchOptions{}, *snapshot, events);
  EXPECT_OK(engine);
  return engine.ok() ? *std::move(engine) : nullptr;
}

inline SearchQuery Query(std::string text, int64_t page_size = 10) {
  SearchQuery q;
  q.query = std::move(text);
  q.page_size = page_size;
  return q;
}

/// The product ids of `engine`'s answer to `q`, best first (a failed search fails the test).
inline std::vector<std::string> ResultIds(const SearchEngine& engine, const SearchQuery& q) {
  auto page = engine.Search(q);
  EXPECT_OK(page);
  std::vector<std::string> ids;
  if (page.ok()) {
    for (const ResultItem& item : page->items) ids.push_back(item.product->id);
  }
  return ids;
}

/// Writes a random two-label sentiment model (a one-layer BERT over a few review words) into
/// `dir` and returns `dir`: what a scorer needs to run, not to be right.
inline std::string WriteTinySentimentModel(const std::string& dir) {
  model::BertConfig config;
  config.vocab_size = 16;
  config.hidden_size = 16;
  config.num_hidden_layers = 1;
  config.num_attention_heads = 2;
  config.intermediate_size = 32;
  config.max_position_embeddings = 16;
  model::ServingConfig serving;
  serving.max_length = 16;
  const std::vector<std::string> vocab = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                                          "great", "drill", "broke", "fast",  "bad"};
  EXPECT_OK(encoder::WriteRandomClassifierDirectory(dir, config, serving, vocab, 2, 4));
  return dir;
}

}  // namespace souk::engine::testing
