#include "souk/rank/rules.h"

#include "gtest/gtest.h"
#include "support/test_support.h"

namespace souk::rank {
namespace {

using ::souk::testing::StatusIs;

catalog::Product MakeProduct(std::string id, std::string brand, std::vector<std::string> category,
                             std::optional<int64_t> stock = std::nullopt) {
  catalog::Product p;
  p.id = std::move(id);
  p.title = p.id;
  p.brand = std::move(brand);
  p.category_path = std::move(category);
  p.stock = stock;
  return p;
}

class RulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<catalog::Product> products = {
        MakeProduct("a1", "Acme", {"Tools", "Drills"}),
        MakeProduct("a2", "Acme", {"Tools", "Drills"}),
        MakeProduct("a3", "Acme", {"Tools", "Saws"}, 0),
        MakeProduct("b1", "Bolt", {"Tools", "Drills"}),
        MakeProduct("b2", "Bolt", {"Garden"}),
        MakeProduct("c1", "", {"Tools"}),
    };
    products[3].attributes = {{"voltage", "18V"}};
    auto catalog = catalog::Catalog::Create(std::move(products));
    ASSERT_OK(catalog);
    catalog_ = *std::move(catalog);
  }

  // Every product in catalog order, scores 6, 5, ..., 1.
  std::vector<RankedDoc> Ranked() const {
    std::vector<RankedDoc> ranked;
    for (uint32_t i = 0; i < catalog_->size(); ++i) {
      ranked.push_back({catalog::DocId(i), static_cast<float>(6 - i), i, {}});
    }
    return ranked;
  }

  std::vector<std::string> Apply(const RulesConfig& config, std::string_view query,
                                 std::function<bool(catalog::DocId)> allowed = {}) {
    auto rules = RuleSet::Create(config);
    EXPECT_TRUE(rules.ok()) << rules.status();
    std::vector<RankedDoc> ranked = Ranked();
    if (rules.ok()) (*rules)->Apply(query, *catalog_, allowed, &ranked);
    last_ = ranked;
    std::vector<std::string> ids;
    for (const RankedDoc& d : ranked) ids.push_back(catalog_->product(d.doc).id);
    return ids;
  }

  std::unique_ptr<catalog::Catalog> catalog_;
  std::vector<RankedDoc> last_;
};

TEST_F(RulesTest, NoRulesChangeNothing) {
  EXPECT_EQ(Apply({}, "drill"), (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2", "c1"}));
  EXPECT_TRUE((*RuleSet::Create({}))->empty());
}

TEST_F(RulesTest, APinPlacesItsProductForItsQueryOnly) {
  RulesConfig config;
  config.pins = {{"promo", "  Cordless   DRILL ", "c1", 2}};
  EXPECT_EQ(Apply(config, "cordless drill"),
            (std::vector<std::string>{"a1", "c1", "a2", "a3", "b1", "b2"}));
  EXPECT_EQ(last_[1].fired, (std::vector<std::string>{"promo"}));
  EXPECT_EQ(last_[1].source, 5u);  // it kept its candidate index
  EXPECT_EQ(Apply(config, "drill"), (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2", "c1"}));
  // Filtered out by the request: no pin. Past the end: last.
  EXPECT_EQ(Apply(config, "cordless drill", [](catalog::DocId d) { return d.value() != 5; }),
            (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2", "c1"}));
  config.pins[0].position = 50;
  EXPECT_EQ(Apply(config, "cordless drill").back(), "c1");
}

TEST_F(RulesTest, APinBringsInAProductRetrievalMissed) {
  RulesConfig config;
  config.pins = {{"promo", "drill", "b2", 1}};
  auto rules = RuleSet::Create(config);
  ASSERT_OK(rules);
  std::vector<RankedDoc> ranked = {{catalog::DocId(0), 2, 0, {}}, {catalog::DocId(1), 1, 1, {}}};
  (*rules)->Apply("drill", *catalog_, {}, &ranked);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].doc, catalog::DocId(4));
  EXPECT_EQ(ranked[0].source, RankedDoc::kNoSource);
}

TEST_F(RulesTest, BoostsAndBuriesMoveByTheScoreRange) {
  RulesConfig config;
  config.boosts = {{"bolt-up", "", {"brand", "Bolt"}, 0.5}};
  // Range 6 - 1 = 5, so +2.5: b1 (3 -> 5.5) passes a2 (5), b2 (2 -> 4.5) passes a3 (4).
  EXPECT_EQ(Apply(config, "anything"),
            (std::vector<std::string>{"a1", "b1", "a2", "b2", "a3", "c1"}));
  config.boosts = {{"oos-down", "", {"in_stock", "false"}, -1}};
  EXPECT_EQ(Apply(config, "x").back(), "a3");
  config.boosts = {{"drills", "drill", {"category", "Tools > Drills"}, -2}};
  EXPECT_EQ(Apply(config, "drill"), (std::vector<std::string>{"a3", "b2", "c1", "a1", "a2", "b1"}));
  EXPECT_EQ(Apply(config, "saw"), (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2", "c1"}));
  config.boosts = {{"volts", "", {"attribute:voltage", "18V"}, 10}};
  EXPECT_EQ(Apply(config, "x").front(), "b1");
  EXPECT_EQ(last_.front().fired, (std::vector<std::string>{"volts"}));
}

TEST_F(RulesTest, ExcludesDropAndDiversityCapsABrand) {
  RulesConfig config;
  config.excludes = {{"no-garden", "", {"category", "Garden"}}};
  EXPECT_EQ(Apply(config, "x"), (std::vector<std::string>{"a1", "a2", "a3", "b1", "c1"}));
  config = {};
  config.diversity = {1, 3};
  // Acme may fill one of the first three places: a2 and a3 move behind b1 and b2.
  EXPECT_EQ(Apply(config, "x"), (std::vector<std::string>{"a1", "b1", "c1", "a2", "a3", "b2"}));
  EXPECT_EQ(last_[3].fired, (std::vector<std::string>{"diversity"}));
}

TEST_F(RulesTest, ADiversityRuleThatMovesNothingKeepsWhatOtherRulesRecorded) {
  RulesConfig config;
  config.boosts = {{"acme", "", {"brand", "Acme"}, 0.1}};
  config.diversity = {5, 3};  // no brand reaches 5: nothing to defer
  Apply(config, "x");
  ASSERT_EQ(catalog_->product(last_[0].doc).id, "a1");
  EXPECT_EQ(last_[0].fired, (std::vector<std::string>{"acme"}));
}

TEST_F(RulesTest, BadRulesAreNamed) {
  RulesConfig config;
  config.pins = {{"p", "", "a1", 1}};
  EXPECT_THAT(RuleSet::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, "'p'"));
  config.pins = {{"p", "q", "a1", 0}};
  EXPECT_THAT(RuleSet::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, "positions"));
  config.pins = {{"p", "q", "a1", 1}};
  config.boosts = {{"p", "", {"brand", "Acme"}, 1}};
  EXPECT_THAT(RuleSet::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, "twice"));
  config.boosts = {{"b", "", {"colour", "red"}, 1}};
  EXPECT_THAT(RuleSet::Create(config),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown field 'colour'"));
  config.boosts = {{"b", "", {"in_stock", "yes"}, 1}};
  EXPECT_THAT(RuleSet::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, "in_stock"));
  config.boosts = {{"b", "", {"brand", "Acme"}, std::nan("")}};
  EXPECT_THAT(RuleSet::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, "finite"));
  config.boosts = {};
  config.diversity = {2, 0};
  EXPECT_THAT(RuleSet::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, "window"));
}

}  // namespace
}  // namespace souk::rank
