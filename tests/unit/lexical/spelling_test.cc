#include "souk/lexical/spelling.h"

#include <memory>
#include <string>
#include <vector>

#include "lexical_test_util.h"
#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;
using ::testing::IsEmpty;
using testing::MakeCatalog;
using testing::Terms;
using testing::TestAnalyzer;

std::vector<catalog::Product> Products() {
  std::vector<std::string> titles = {"Toilet seat white",
                                     "Toilet flange",
                                     "Deck stain",
                                     "Deck boards cedar",
                                     "Paint roller",
                                     "Paint brush",
                                     "Ceiling fan",
                                     "Ceiling light",
                                     "Thermostat programmable",
                                     "Thermostat wifi",
                                     "Garden hose",
                                     "Hose reel",
                                     "Hose nozzle",
                                     "Garden hoze kit",
                                     "Host adapter",
                                     "Host bracket",
                                     "Zebra rug",
                                     "Pipe g135 fitting",
                                     "Pipe g135 elbow",
                                     "无线 耳机",
                                     "无线 鼠标",
                                     "Sheetrock drywall panel",
                                     "Sheetrock joint compound"};
  std::vector<catalog::Product> products;
  for (size_t i = 0; i < titles.size(); ++i) {
    catalog::Product p;
    p.id = "p" + std::to_string(i);
    p.title = titles[i];
    products.push_back(std::move(p));
  }
  return products;
}

class SpellingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = MakeCatalog(Products());
    auto index = InvertedIndex::Build(*catalog_, TestAnalyzer(), {});
    ASSERT_OK(index);
    index_ = std::move(*index);
    corrector_ = SpellingCorrector::Build(*index_, {});
  }

  std::vector<std::string> Correct(const std::string& query,
                                   std::vector<Correction>* made = nullptr) const {
    return corrector_->Correct(Terms(query), made);
  }

  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<InvertedIndex> index_;
  std::unique_ptr<SpellingCorrector> corrector_;
};

TEST_F(SpellingTest, OneEditTyposBecomeTheIndexTerm) {
  std::vector<Correction> made;
  EXPECT_EQ(Correct("toliet seat", &made), Terms("toilet seat"));  // transposition
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].from, Terms("toliet")[0]);
  EXPECT_EQ(made[0].to, Terms("toilet"));
  EXPECT_EQ(Correct("paiint roller"), Terms("paint roller"));  // a letter too many
  EXPECT_EQ(Correct("thermosat"), Terms("thermostat"));        // a letter missing
  EXPECT_EQ(Correct("pipr"), Terms("pipe"));                   // one substituted
  EXPECT_EQ(Correct("cieling fan"), Terms("ceiling fan"));
}

TEST_F(SpellingTest, TwoEditsOnlyForLongTerms) {
  EXPECT_EQ(Correct("termostatt"), Terms("thermostat"));
  EXPECT_EQ(Correct("tpilrt"), Terms("tpilrt"));  // two substitutions in six letters: left
}

TEST_F(SpellingTest, AWordRunTogetherIsSplit) {
  std::vector<Correction> made;
  EXPECT_EQ(Correct("deckpaint", &made), Terms("deck paint"));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].to, Terms("deck paint"));
}

TEST_F(SpellingTest, TwoWordsThatMakeAnIndexTermAddIt) {
  std::vector<Correction> made;
  std::vector<std::string> expected = Terms("sheet rock");
  expected.push_back(Terms("sheetrock")[0]);
  EXPECT_EQ(Correct("sheet rock", &made), expected);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].from, expected[0] + " " + expected[1]);
  EXPECT_EQ(made[0].to, Terms("sheetrock"));
}

TEST_F(SpellingTest, AJoinAlreadyInTheQueryIsNotAddedTwice) {
  std::vector<Correction> made;
  std::vector<std::string> expected = Terms("sheet rock sheetrock");
  EXPECT_EQ(Correct("sheet rock sheetrock", &made), expected);
  EXPECT_THAT(made, IsEmpty());
}

TEST_F(SpellingTest, ShortCandidatesAreCorrectionsWhateverTheSplitMinimum) {
  auto corrector = SpellingCorrector::Build(*index_, {.split_min_part = 5});
  EXPECT_EQ(corrector->Correct(Terms("pipr")), Terms("pipe"));
}

TEST_F(SpellingTest, TheMoreFrequentOfEquallyNearTermsWins) {
  EXPECT_EQ(Correct("hoss"), Terms("hose"));  // hose: 3 products, host: 2
}

TEST_F(SpellingTest, LeavesKnownShortRareNumericAndNonLatinTermsAlone) {
  std::vector<Correction> made;
  for (const char* query : {"garden hose", "rug", "zebrs", "g136", "无线 耳鸡", "qqqqzzzz"}) {
    EXPECT_EQ(Correct(query, &made), Terms(query)) << query;
  }
  EXPECT_THAT(made, IsEmpty());  // "zebra" is in one product only: no candidate
}

TEST_F(SpellingTest, ARareKnownTermGetsItsCommonNeighbourAdded) {
  // "hoze" is in one product, "hose" in three; "host" in two is not common enough beside it.
  auto corrector = SpellingCorrector::Build(*index_, {.rare_min_length = 4, .rare_min_ratio = 3});
  std::vector<Correction> made;
  EXPECT_EQ(corrector->Correct(Terms("hoze kit"), &made), Terms("hoze hose kit"));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].from, Terms("hoze")[0]);
  EXPECT_EQ(made[0].to, Terms("hose"));
  EXPECT_EQ(corrector->Correct(Terms("host")), Terms("host"));
  EXPECT_EQ(Correct("hoze kit"), Terms("hoze kit"));  // the defaults: six letters or more
}

TEST_F(SpellingTest, OptionsAreChecked) {
  EXPECT_OK(SpellingOptions{}.Validate());
  EXPECT_THAT((SpellingOptions{.min_length = 2}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "min_length must be >= 3, got 2"));
  EXPECT_THAT((SpellingOptions{.min_length = 6, .two_edits_min_length = 5}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "two_edits_min_length"));
  EXPECT_THAT((SpellingOptions{.split_min_part = 1}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "split_min_part"));
  EXPECT_THAT((SpellingOptions{.rare_min_length = 3}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "rare_min_length"));
  EXPECT_THAT((SpellingOptions{.rare_min_ratio = 1}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "rare_min_ratio"));
}

}  // namespace
}  // namespace souk::lexical
