// The demo shop's catalog: products drawn from the category tree with brands, attributes,
// log-normal prices, stock, listing times and generated texts (docs/demo-shop.md, "Catalog").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "demo_shop_internal.h"
#include "souk/base/str_cat.h"

namespace souk::eval::demo_shop_internal {
namespace {

constexpr int64_t kListingHistoryS = 730 * 86400;  // products are listed up to 2 years early
constexpr double kOutOfStockShare = 0.07;

// Shop prices end the way shops end them: 19.99 / 124.99 in English listings, 59 / 59.9 / 129
// in Chinese ones.
double ShopPrice(double raw, Lang lang, Rng& rng) {
  const double whole = std::floor(raw);
  double price = 0.0;
  if (lang == Lang::kEn) {
    price = raw < 100 ? whole + 0.99 : whole - std::fmod(whole, 5.0) + 4.99;
  } else if (raw < 10) {
    price = whole + 0.9;
  } else if (raw < 100) {
    price = whole + (rng.Bernoulli(0.5) ? 0.0 : 0.9);
  } else {
    price = whole - std::fmod(whole, 10.0) + 9.0;
  }
  return RoundTo(std::max(price, 0.99), 2);
}

int DrawValue(const AttributeDef& attribute, Rng& rng) {
  // Ordered values (sizes, capacities) are equally common; in unordered lists (colors,
  // materials) the first, classic ones are listed more often.
  std::vector<double> weights;
  for (size_t k = 0; k < attribute.values.size(); ++k) {
    weights.push_back(attribute.price_step > 0 ? 1.0 : 1.0 / (1.0 + 0.3 * k));
  }
  return static_cast<int>(rng.Weighted(weights));
}

void DrawHidden(const World& world, ShopProduct& item, Rng& rng) {
  const Vocabulary& vocab = *world.vocab;
  const LeafDef& leaf = vocab.leaves[item.leaf];
  const Brand& brand = world.brands[item.brand];
  double log_price = std::log(leaf.median_price) + brand.price_level;
  for (size_t slot = 0; slot < leaf.attributes.size(); ++slot) {
    const AttributeDef& attribute = vocab.attributes[leaf.attributes[slot]];
    item.values.push_back(DrawValue(attribute, rng));
    // Centered, so the leaf median stays the median: bigger packs cost more, smaller less.
    log_price += attribute.price_step * (item.values.back() - (attribute.values.size() - 1) / 2.0);
  }
  const size_t n_features = std::min<size_t>(leaf.features.size(), 1 + rng.Below(2));
  std::vector<int> pool;
  for (size_t f = 0; f < leaf.features.size(); ++f) pool.push_back(static_cast<int>(f));
  for (size_t k = 0; k < n_features; ++k) {
    const size_t at = rng.Below(pool.size());
    item.features.push_back(pool[at]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(at));
  }
  item.quality = RoundTo(std::clamp(brand.quality + rng.Normal(0.0, 0.1), 0.0, 1.0), 3);
  item.popularity = RoundTo(brand.popularity * std::exp(rng.Normal(0.0, 0.5)), 4);
  log_price += 0.3 * (item.quality - 0.6) + rng.Normal(0.0, 0.6 * leaf.price_sigma);
  const double price = ShopPrice(std::exp(log_price), item.lang, rng);
  item.product.price = price;
  item.log_price_ratio = RoundTo(std::log(price / leaf.median_price), 4);
}

void FillListing(const World& world, size_t index, ShopProduct& item,
                 std::unordered_set<std::string>& titles, int64_t start_unix_s, Rng& rng) {
  const Vocabulary& vocab = *world.vocab;
  const LeafDef& leaf = vocab.leaves[item.leaf];
  const Brand& brand = world.brands[item.brand];
  catalog::Product& p = item.product;
  p.id = NumberedId('p', index + 1);
  p.brand = brand.display.In(item.lang);
  p.category_path = {vocab.tops[leaf.top].name.In(item.lang),
                     vocab.mids[leaf.mid].name.In(item.lang), leaf.name.In(item.lang)};
  for (size_t slot = 0; slot < leaf.attributes.size(); ++slot) {
    p.attributes.push_back(
        {vocab.attributes[leaf.attributes[slot]].key, ValueText(vocab, leaf, item, slot)});
  }
  p.stock = rng.Bernoulli(kOutOfStockShare)
                ? 0
                : std::min<int64_t>(9999, 1 + static_cast<int64_t>(std::exp(rng.Normal(3.5, 1.0))));
  p.created_unix_s = start_unix_s - 3600 - static_cast<int64_t>(rng.Below(kListingHistoryS));
  // Sellers do list near-identical items; a shop shows them apart by model number.
  for (int attempt = 0; attempt < 8 && p.title.empty(); ++attempt) {
    std::string title = MakeTitle(vocab, brand, item, rng);
    if (titles.insert(title).second) p.title = std::move(title);
  }
  if (p.title.empty()) {
    p.title = StrCat(MakeTitle(vocab, brand, item, rng),
                     item.lang == Lang::kEn ? " - Model " : " 货号", 1000 + index);
    titles.insert(p.title);
  }
  p.description = MakeDescription(vocab, brand, item, rng);
}

}  // namespace

bool InShare(size_t i, double share) {
  // Spread evenly rather than in one block, so any prefix of the catalog has both languages.
  return std::floor((i + 1) * share) > std::floor(i * share);
}

std::string NumberedId(char prefix, size_t number) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%c%06zu", prefix, number);
  return buf;
}

void GenerateCatalog(const DemoShopOptions& options, World& world, Rng& rng) {
  const Vocabulary& vocab = *world.vocab;
  std::vector<double> top_weights;
  std::vector<std::vector<int>> top_brands(vocab.tops.size());
  std::vector<std::vector<double>> brand_weights(vocab.tops.size());
  for (const TopDef& top : vocab.tops) top_weights.push_back(top.weight);
  for (size_t b = 0; b < world.brands.size(); ++b) {
    top_brands[world.brands[b].top].push_back(static_cast<int>(b));
    brand_weights[world.brands[b].top].push_back(world.brands[b].popularity);
  }
  for (auto& by_leaf : world.by_leaf) by_leaf.assign(vocab.leaves.size(), {});
  std::unordered_set<std::string> titles;
  world.products.resize(options.num_products);
  for (size_t i = 0; i < options.num_products; ++i) {
    ShopProduct& item = world.products[i];
    item.lang = InShare(i, options.chinese_share) ? Lang::kZh : Lang::kEn;
    const size_t top = rng.Weighted(top_weights);
    const MidDef& mid = vocab.mids[rng.Pick(vocab.tops[top].mids)];
    item.leaf = rng.Pick(mid.leaves);
    item.brand = top_brands[top][rng.Weighted(brand_weights[top])];
    DrawHidden(world, item, rng);
    FillListing(world, i, item, titles, options.start_unix_s, rng);
    world.by_leaf[static_cast<int>(item.lang)][item.leaf].push_back(static_cast<int>(i));
  }
}

}  // namespace souk::eval::demo_shop_internal
