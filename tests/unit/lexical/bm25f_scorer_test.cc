#include "souk/lexical/bm25f_scorer.h"

#include <cmath>

#include "lexical_test_util.h"
#include "souk/lexical/inverted_index.h"
#include "support/test_support.h"

namespace souk::lexical {
namespace {

using testing::MakeCatalog;
using testing::Terms;
using testing::TestAnalyzer;

catalog::Product Item(std::string id, std::string title, std::string description = "") {
  catalog::Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.description = std::move(description);
  return p;
}

LexicalOptions HandOptions() {
  LexicalOptions o;
  o.k1 = 1.2f;
  o.field(Field::kTitle) = {3.0f, 0.75f};
  o.field(Field::kDescription) = {1.0f, 0.75f};
  return o;
}

// Three documents, worked through by hand:
//   d0 title "red lamp" (2 terms)         description ""            (0)
//   d1 title "blue lamp shade" (3)        description "red glass"   (2)
//   d2 title "green chair" (2)            description ""            (0)
// avglen(title) = 7/3, avglen(description) = 2/3, N = 3.
// "red" and "lamp" each occur in 2 documents: idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6.
TEST(Bm25fScorerTest, MatchesHandComputedScores) {
  auto catalog = MakeCatalog({Item("d0", "red lamp"), Item("d1", "blue lamp shade", "red glass"),
                              Item("d2", "green chair")});
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), HandOptions()));

  const double idf = std::log(1.6);                                // 0.470004
  auto impact = [](double tf) { return tf * 2.2 / (1.2 + tf); };   // k1 = 1.2
  const double red_d0 = 3.0 / (0.25 + 0.75 * 2.0 / (7.0 / 3.0));   // title: 3.36
  const double red_d1 = 1.0 / (0.25 + 0.75 * 2.0 / (2.0 / 3.0));   // description: 0.4
  const double lamp_d1 = 3.0 / (0.25 + 0.75 * 3.0 / (7.0 / 3.0));  // title: 2.470588
  EXPECT_NEAR(idf * impact(red_d0), 0.761901, 1e-6);
  EXPECT_NEAR(idf * impact(red_d1), 0.258502, 1e-6);

  SearchResult red = index->Search(Terms("red"), nullptr, {});
  ASSERT_EQ(red.hits.size(), 2u);
  EXPECT_EQ(red.hits[0].doc, catalog::DocId(0));
  EXPECT_NEAR(red.hits[0].score, 0.761901, 1e-5);
  EXPECT_EQ(red.hits[1].doc, catalog::DocId(1));
  EXPECT_NEAR(red.hits[1].score, 0.258502, 1e-5);

  SearchResult both = index->Search(Terms("red lamp"), nullptr, {});
  ASSERT_EQ(both.hits.size(), 2u);
  EXPECT_EQ(both.hits[0].doc, catalog::DocId(0));
  EXPECT_NEAR(both.hits[0].score, 2 * 0.761901, 2e-5);
  EXPECT_EQ(both.hits[1].doc, catalog::DocId(1));
  EXPECT_NEAR(both.hits[1].score, idf * (impact(red_d1) + impact(lamp_d1)), 2e-5);
  EXPECT_NEAR(both.hits[1].score, 0.954470, 2e-5);
}

TEST(Bm25fScorerTest, RepeatedQueryTermCountsTwice) {
  auto catalog = MakeCatalog({Item("d0", "red lamp"), Item("d1", "blue lamp shade", "red glass"),
                              Item("d2", "green chair")});
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), HandOptions()));
  const float once = index->Score(Terms("red"), catalog::DocId(0));
  EXPECT_NEAR(index->Score(Terms("red red"), catalog::DocId(0)), 2 * once, 1e-6);
  SearchResult twice = index->Search(Terms("red red lamp"), nullptr, {});
  ASSERT_FALSE(twice.hits.empty());
  EXPECT_NEAR(twice.hits[0].score, 3 * once, 1e-5);
}

TEST(Bm25fScorerTest, TitleMatchBeatsDescriptionMatch) {
  // Same lengths everywhere; "drill" is in d0's title and in d1's description.
  auto catalog =
      MakeCatalog({Item("d0", "drill set", "steel case"), Item("d1", "steel set", "drill case")});
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  SearchResult r = index->Search(Terms("drill"), nullptr, {});
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].doc, catalog::DocId(0));
  EXPECT_GT(r.hits[0].score, r.hits[1].score);

  // Weights decide: with the description weighted above the title, the order flips.
  LexicalOptions flipped;
  flipped.field(Field::kTitle).weight = 1.0f;
  flipped.field(Field::kDescription).weight = 3.0f;
  LEX_ASSERT_OK_AND_ASSIGN(index2, InvertedIndex::Build(*catalog, TestAnalyzer(), flipped));
  SearchResult r2 = index2->Search(Terms("drill"), nullptr, {});
  ASSERT_EQ(r2.hits.size(), 2u);
  EXPECT_EQ(r2.hits[0].doc, catalog::DocId(1));

  // A zero weight field still matches, with score 0.
  LexicalOptions no_description;
  no_description.field(Field::kDescription).weight = 0.0f;
  LEX_ASSERT_OK_AND_ASSIGN(index3, InvertedIndex::Build(*catalog, TestAnalyzer(), no_description));
  EXPECT_EQ(index3->Score(Terms("drill"), catalog::DocId(1)), 0.0f);
}

TEST(Bm25fScorerTest, SaturatesTheSumOfFieldsOnce) {
  LexicalOptions o;
  o.k1 = 1.2f;
  const Bm25fScorer scorer(o, {2.0, 1.0, 1.0, 1.0, 10.0});
  // Average length: the factor is the weight.
  EXPECT_DOUBLE_EQ(scorer.FieldFactor(Field::kTitle, 2), 3.0);
  EXPECT_DOUBLE_EQ(scorer.FieldFactor(Field::kTitle, 0), 0.0);
  // Longer than average: less than the weight.
  EXPECT_LT(scorer.FieldFactor(Field::kDescription, 20), 1.0);
  // Impact is increasing and bounded by k1 + 1.
  EXPECT_FLOAT_EQ(scorer.Impact(0.0), 0.0f);
  EXPECT_LT(scorer.Impact(1.0), scorer.Impact(2.0));
  EXPECT_LT(scorer.Impact(1e6), 2.2f + 1e-6f);
  // One occurrence in each of two fields (weights 3 and 1) is saturated once, not twice.
  EXPECT_LT(scorer.Impact(3.0 + 1.0), scorer.Impact(3.0) + scorer.Impact(1.0));
}

TEST(Bm25fScorerTest, IdfIsPositiveAndDecreasing) {
  EXPECT_NEAR(Bm25fScorer::Idf(3, 2), std::log(1.6), 1e-6);
  EXPECT_GT(Bm25fScorer::Idf(1000, 1000), 0.0f);
  EXPECT_GT(Bm25fScorer::Idf(1000, 1), Bm25fScorer::Idf(1000, 10));
}

}  // namespace
}  // namespace souk::lexical
