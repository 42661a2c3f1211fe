#include "lexical_test_util.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "souk/base/logging.h"

namespace souk::lexical::testing {
namespace {

constexpr std::string_view kWords[] = {
    "drill",   "saw",     "hammer",  "lamp",     "light",   "white",  "black",   "steel",  "wood",
    "glass",   "door",    "window",  "paint",    "brush",   "pipe",   "valve",   "copper", "brass",
    "screw",   "bolt",    "nail",    "chair",    "table",   "shelf",  "cabinet", "sink",   "faucet",
    "toilet",  "shower",  "tile",    "floor",    "carpet",  "rug",    "fan",     "heater", "cooler",
    "grill",   "hose",    "garden",  "plant",    "seed",    "soil",   "fence",   "gate",   "lock",
    "key",     "chain",   "rope",    "ladder",   "bucket",  "mop",    "broom",   "vacuum", "filter",
    "battery", "charger", "cord",    "switch",   "outlet",  "bulb",   "mirror",  "frame",  "clock",
    "blue",    "red",     "green",   "gray",     "silver",  "gold",   "round",   "square", "large",
    "small",   "heavy",   "compact", "cordless", "outdoor", "indoor", "kit",     "set"};
constexpr size_t kNumWords = sizeof(kWords) / sizeof(kWords[0]);
constexpr std::string_view kBrands[] = {"Acme", "Bolt & Co", "DeWalt", "Ryobi", "Husky", "Glacier"};
constexpr std::string_view kTop[] = {"Home", "Garden", "Tools"};
constexpr std::string_view kMid[] = {"Kitchen", "Bath", "Outdoor"};
constexpr std::string_view kLeaf[] = {"Small", "Large"};

template <typename T, size_t N>
std::string Pick(const T (&values)[N], std::mt19937_64& rng) {
  return std::string(values[std::uniform_int_distribution<size_t>(0, N - 1)(rng)]);
}

// Zipf-distributed word: frequent words give long posting lists, rare ones short lists.
std::string Word(std::mt19937_64& rng) {
  static const std::discrete_distribution<size_t> kZipf = [] {
    std::vector<double> weights;
    for (size_t i = 0; i < kNumWords; ++i) weights.push_back(1.0 / static_cast<double>(i + 1));
    return std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }();
  std::discrete_distribution<size_t> zipf = kZipf;
  return std::string(kWords[zipf(rng)]);
}

std::string Words(std::mt19937_64& rng, size_t lo, size_t hi) {
  std::string text;
  const size_t n = std::uniform_int_distribution<size_t>(lo, hi)(rng);
  for (size_t i = 0; i < n; ++i) text += (i > 0 ? " " : "") + Word(rng);
  return text;
}

bool Chance(std::mt19937_64& rng, double p) { return std::bernoulli_distribution(p)(rng); }

// Index builds and loads log at info level; hundreds of them would bury the test output.
class QuietLogs : public ::testing::Environment {
 public:
  void SetUp() override { logging::Configure({.level = logging::Level::kWarn}); }
};
[[maybe_unused]] ::testing::Environment* const kQuietLogs =
    ::testing::AddGlobalTestEnvironment(new QuietLogs);

}  // namespace

const text::Analyzer& TestAnalyzer() {
  static const text::Analyzer* const analyzer = [] {
    auto created = text::Analyzer::Create(text::AnalyzerOptions{});
    if (!created.ok()) {
      std::cerr << "analyzer: " << created.status() << "\n";
      std::abort();
    }
    return created->release();
  }();
  return *analyzer;
}

std::vector<std::string> Terms(std::string_view text) { return TestAnalyzer().Analyze(text); }

std::unique_ptr<catalog::Catalog> MakeCatalog(std::vector<catalog::Product> products) {
  auto created = catalog::Catalog::Create(std::move(products));
  if (!created.ok()) {
    std::cerr << "catalog: " << created.status() << "\n";
    std::abort();
  }
  return *std::move(created);
}

std::vector<catalog::Product> RandomProducts(uint64_t seed, size_t n) {
  std::mt19937_64 rng(seed);
  std::vector<catalog::Product> products;
  for (size_t i = 0; i < n; ++i) {
    catalog::Product p;
    p.id = "p" + std::to_string(i);
    p.title = Words(rng, 1, 8);
    if (Chance(rng, 0.6)) p.description = Words(rng, 1, 20);
    if (Chance(rng, 0.8)) p.brand = Pick(kBrands, rng);
    const size_t depth = std::uniform_int_distribution<size_t>(0, 3)(rng);
    if (depth >= 1) p.category_path.push_back(Pick(kTop, rng));
    if (depth >= 2) p.category_path.push_back(Pick(kMid, rng));
    if (depth >= 3) p.category_path.push_back(Pick(kLeaf, rng));
    if (Chance(rng, 0.4)) p.attributes.push_back({"color", Word(rng)});
    if (Chance(rng, 0.8)) {
      p.price = std::round(std::uniform_real_distribution<double>(1, 500)(rng) * 100) / 100;
    }
    if (Chance(rng, 0.7)) p.stock = std::uniform_int_distribution<int64_t>(0, 3)(rng);
    // Words drawn like the title's: some repeat the product's own, which the index drops.
    if (Chance(rng, 0.3)) p.expansion = Words(rng, 1, 6);
    products.push_back(std::move(p));
  }
  return products;
}

std::vector<std::string> RandomQuery(std::mt19937_64& rng) { return Terms(Words(rng, 1, 5)); }

Filter RandomFilter(const catalog::Catalog& catalog, std::mt19937_64& rng) {
  auto random_product = [&]() -> const catalog::Product& {
    return catalog.product(catalog::DocId(std::uniform_int_distribution<uint32_t>(
        0, static_cast<uint32_t>(catalog.size() - 1))(rng)));
  };
  Filter filter;
  if (Chance(rng, 0.4)) {
    const std::vector<std::string>& path = random_product().category_path;
    const size_t depth =
        path.empty() ? 0 : std::uniform_int_distribution<size_t>(1, path.size())(rng);
    filter.category_path.assign(path.begin(), path.begin() + static_cast<ptrdiff_t>(depth));
  }
  if (Chance(rng, 0.3)) {
    for (int i = 0; i < 2; ++i) {
      if (const std::string& brand = random_product().brand; !brand.empty()) {
        filter.brands.push_back(brand);
      }
    }
  }
  if (Chance(rng, 0.3)) filter.min_price = std::uniform_real_distribution<double>(0, 250)(rng);
  if (Chance(rng, 0.3)) filter.max_price = std::uniform_real_distribution<double>(250, 500)(rng);
  filter.in_stock_only = Chance(rng, 0.3);
  return filter;
}

std::vector<catalog::Product> FixtureProducts() {
  auto make = [](std::string id, std::string title, std::string description, std::string brand,
                 std::vector<std::string> category, std::optional<double> price,
                 std::optional<int64_t> stock, std::vector<catalog::Attribute> attributes) {
    catalog::Product p;
    p.id = std::move(id);
    p.title = std::move(title);
    p.description = std::move(description);
    p.brand = std::move(brand);
    p.category_path = std::move(category);
    p.price = price;
    p.stock = stock;
    p.attributes = std::move(attributes);
    return p;
  };
  std::vector<catalog::Product> products;
  products.push_back(make("A-100", "Cordless Drill 20V",
                          "A compact cordless drill with two batteries.", "DeWalt",
                          {"Tools", "Power Tools", "Drills"}, 99.0, 3, {{"color", "yellow"}}));
  products.push_back(make("A-101", "Hammer Drill Kit", "Drill into brick and concrete.", "Ryobi",
                          {"Tools", "Power Tools", "Drills"}, 149.5, 0, {}));
  products.push_back(make("A-102", "Claw Hammer", "Steel claw hammer with a wood handle.", "Husky",
                          {"Tools", "Hand Tools"}, 12.25, std::nullopt, {}));
  products.push_back(make("A-103", "LED Desk Lamp", "", "Glacier", {"Home", "Lighting"},
                          std::nullopt, std::nullopt, {{"color", "white"}, {"finish", "matte"}}));
  return products;
}

std::vector<catalog::Product> FixtureProductsV2() {
  std::vector<catalog::Product> products = FixtureProducts();
  // "light" and "lamp" are the lamp's own terms already; "read" and "office" are new.
  products[3].expansion = "reading light office lamp";
  return products;
}

ReferenceScorer::ReferenceScorer(const catalog::Catalog& catalog, const LexicalOptions& options)
    : options_(options), avg_len_(kNumFields, 0.0) {
  for (const catalog::Product& p : catalog.products()) {
    DocFields doc{std::vector<absl::flat_hash_map<std::string, double>>(kNumFields),
                  std::vector<double>(kNumFields, 0.0)};
    auto add = [&](Field f, std::string_view text) {
      const size_t i = static_cast<size_t>(f);
      for (const std::string& t : Terms(text)) {
        doc.tf[i][t] += 1;
        doc.length[i] += 1;
      }
    };
    add(Field::kTitle, p.title);
    add(Field::kBrand, p.brand);
    for (const std::string& level : p.category_path) add(Field::kCategory, level);
    for (const catalog::Attribute& a : p.attributes) add(Field::kAttributes, a.value);
    add(Field::kDescription, p.description);
    // The expansion counts the terms no other field holds, each once.
    absl::flat_hash_map<std::string, bool> seen;
    for (size_t f = 0; f < kNumFields; ++f) {
      for (const auto& [term, tf] : doc.tf[f]) seen[term] = true;
    }
    const auto expansion = static_cast<size_t>(Field::kExpansion);
    for (const std::string& t : Terms(p.expansion)) {
      if (!seen.emplace(t, true).second) continue;
      doc.tf[expansion][t] = 1;
      doc.length[expansion] += 1;
    }
    for (size_t f = 0; f < kNumFields; ++f) avg_len_[f] += doc.length[f];
    // idf counts the products whose own text holds a term; one only expansions hold counts
    // those (expansion_df_), as the index does.
    for (const auto& [term, unused] : seen) {
      const bool own = std::any_of(doc.tf.begin(), doc.tf.end() - 1,
                                   [&](const auto& field) { return field.contains(term); });
      (own ? df_ : expansion_df_)[term] += 1;
    }
    docs_.push_back(std::move(doc));
  }
  for (double& avg : avg_len_) avg /= static_cast<double>(docs_.size());
}

double ReferenceScorer::Score(const std::vector<std::string>& query, size_t doc) const {
  const double n = static_cast<double>(docs_.size());
  double score = 0;
  for (const std::string& term : query) {
    double pseudo_tf = 0;
    for (size_t f = 0; f < kNumFields; ++f) {
      auto it = docs_[doc].tf[f].find(term);
      if (it == docs_[doc].tf[f].end()) continue;
      const FieldOptions& o = options_.fields[f];
      pseudo_tf += o.weight * it->second / (1 - o.b + o.b * docs_[doc].length[f] / avg_len_[f]);
    }
    if (pseudo_tf == 0) continue;
    const double df = df_.contains(term) ? df_.at(term) : expansion_df_.at(term);
    const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    score += idf * pseudo_tf * (options_.k1 + 1) / (options_.k1 + pseudo_tf);
  }
  return score;
}

}  // namespace souk::lexical::testing
