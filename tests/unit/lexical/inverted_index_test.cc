#include "souk/lexical/inverted_index.h"

#include <algorithm>
#include <random>

#include "lexical_test_util.h"
#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;
using testing::MakeCatalog;
using testing::RandomFilter;
using testing::RandomProducts;
using testing::RandomQuery;
using testing::ReferenceScorer;
using testing::Terms;
using testing::TestAnalyzer;

// Search (MaxScore) must equal SearchExhaustive exactly, and both must agree with the BM25F
// formula computed independently in double.
void CheckQueries(const catalog::Catalog& catalog, const InvertedIndex& index,
                  const LexicalOptions& options, uint64_t seed, bool with_filters) {
  const ReferenceScorer reference(catalog, options);
  std::mt19937_64 rng(seed);
  constexpr size_t kKs[] = {1, 2, 3, 10, 50, 1000};
  for (int q = 0; q < 150; ++q) {
    const std::vector<std::string> terms = RandomQuery(rng);
    std::optional<DocFilter> filter;
    if (with_filters) {
      auto compiled = index.CompileFilter(RandomFilter(catalog, rng));
      ASSERT_OK(compiled);
      filter = *std::move(compiled);
    }
    const DocFilter* f = filter ? &*filter : nullptr;
    SearchOptions so;
    so.k = kKs[std::uniform_int_distribution<size_t>(0, std::size(kKs) - 1)(rng)];
    const SearchResult fast = index.Search(terms, f, so);
    const SearchResult slow = index.SearchExhaustive(terms, f, so);
    ASSERT_EQ(fast.hits, slow.hits) << "query " << q << " k=" << so.k;

    // Independent check: scores follow the formula and nothing better was left out.
    double kth = -1;
    for (const Hit& hit : fast.hits) {
      const double expected = reference.Score(terms, hit.doc.value());
      EXPECT_NEAR(hit.score, expected, 1e-4 * std::max(1.0, expected));
      EXPECT_NEAR(index.Score(terms, hit.doc), hit.score, 1e-6 * std::max(1.0f, hit.score));
      EXPECT_TRUE(f == nullptr || f->Contains(hit.doc));
      kth = expected;
    }
    if (fast.hits.size() == so.k) {
      std::vector<bool> returned(catalog.size(), false);
      for (const Hit& hit : fast.hits) returned[hit.doc.value()] = true;
      for (uint32_t d = 0; d < catalog.size(); ++d) {
        if (returned[d] || (f != nullptr && !f->Contains(catalog::DocId(d)))) continue;
        EXPECT_LE(reference.Score(terms, d), kth + 1e-4 * std::max(1.0, kth)) << "doc " << d;
      }
    }
  }
}

TEST(InvertedIndexTest, MaxScoreEqualsExhaustiveOnRandomCorpora) {
  for (uint64_t seed : {1, 2, 3}) {
    auto catalog = MakeCatalog(RandomProducts(seed, 400));
    LexicalOptions options;
    LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), options));
    CheckQueries(*catalog, *index, options, seed * 100, /*with_filters=*/false);
  }
}

TEST(InvertedIndexTest, MaxScoreEqualsExhaustiveWithFilters) {
  for (uint64_t seed : {4, 5}) {
    auto catalog = MakeCatalog(RandomProducts(seed, 400));
    LexicalOptions options;
    LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), options));
    CheckQueries(*catalog, *index, options, seed * 100, /*with_filters=*/true);
  }
}

TEST(InvertedIndexTest, MaxScoreEqualsExhaustiveWithOtherParameters) {
  auto catalog = MakeCatalog(RandomProducts(6, 300));
  LexicalOptions options;
  options.k1 = 0.5f;
  options.field(Field::kTitle) = {1.0f, 0.0f};
  options.field(Field::kBrand) = {0.0f, 0.5f};  // matches that score 0
  options.field(Field::kDescription) = {5.0f, 1.0f};
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), options));
  CheckQueries(*catalog, *index, options, 600, /*with_filters=*/true);
}

TEST(InvertedIndexTest, UnknownTermsAndEmptyQueries) {
  auto catalog = MakeCatalog(RandomProducts(7, 50));
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  EXPECT_TRUE(index->Search({}, nullptr, {}).hits.empty());
  EXPECT_TRUE(index->Search({"zzzunknown"}, nullptr, {}).hits.empty());
  const SearchResult known = index->Search(Terms("drill"), nullptr, {});
  ASSERT_FALSE(known.hits.empty());
  // An unknown term changes nothing.
  std::vector<std::string> with_unknown = Terms("drill");
  with_unknown.push_back("zzzunknown");
  EXPECT_EQ(index->Search(with_unknown, nullptr, {}).hits, known.hits);
  SearchOptions none;
  none.k = 0;
  EXPECT_TRUE(index->Search(Terms("drill"), nullptr, none).hits.empty());
  EXPECT_FALSE(known.total_matches.has_value());
}

TEST(InvertedIndexTest, MatchTermsTellsWhichFieldsHoldEachTerm) {
  catalog::Product drill;
  drill.id = "a";
  drill.title = "Cordless drill";
  drill.brand = "Makita";
  drill.description = "A drill for wood";
  catalog::Product hammer;
  hammer.id = "b";
  hammer.title = "Hammer";
  hammer.description = "Goes well with a cordless drill";
  catalog::Product saw;
  saw.id = "c";
  saw.title = "Saw";
  auto catalog = MakeCatalog({drill, hammer, saw});
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  const std::vector<std::string> terms = Terms("makita cordless zzzunknown");
  ASSERT_EQ(terms.size(), 3u);
  const std::vector<catalog::DocId> docs = {catalog::DocId(0), catalog::DocId(1),
                                            catalog::DocId(2)};
  const std::vector<TermMatch> m = index->MatchTerms(terms, docs);
  ASSERT_EQ(m.size(), 9u);
  // Document-major: row 0 is the drill.
  EXPECT_EQ(m[0].fields, 1u << static_cast<unsigned>(Field::kBrand));
  EXPECT_TRUE(m[1].InField(Field::kTitle));
  EXPECT_FALSE(m[1].InField(Field::kDescription));
  EXPECT_FALSE(m[2].matched());
  EXPECT_EQ(m[2].idf, 0.0f);
  // The hammer has "cordless" in its description only; the saw has none of the terms.
  EXPECT_EQ(m[4].fields, 1u << static_cast<unsigned>(Field::kDescription));
  EXPECT_FALSE(m[3].matched());
  EXPECT_GT(m[3].idf, m[4].idf);  // "makita" is rarer than "cordless"
  for (size_t t = 0; t < 3; ++t) EXPECT_FALSE(m[6 + t].matched());
  // The impacts add up to the document's BM25F score.
  for (size_t d = 0; d < docs.size(); ++d) {
    double sum = 0;
    for (size_t t = 0; t < terms.size(); ++t) sum += m[d * 3 + t].idf * m[d * 3 + t].impact;
    EXPECT_NEAR(sum, index->Score(terms, docs[d]), 1e-5) << "doc " << d;
  }
}

TEST(InvertedIndexTest, ExpansionTermsFindProductsAndWeighLessThanTheShopsOwn) {
  catalog::Product drill;
  drill.id = "a";
  drill.title = "Drill driver 18V";
  // "drills" is the title's "drill" once analyzed, so only "cordless" and "battery" are new.
  drill.expansion = "cordless drills battery cordless";
  catalog::Product other;
  other.id = "b";
  other.title = "Cordless battery pack";
  catalog::Product saw;
  saw.id = "c";
  saw.title = "Saw";
  auto catalog = MakeCatalog({drill, other, saw});
  LexicalOptions options;
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), options));
  const std::vector<std::string> terms = Terms("cordless");
  const SearchResult result = index->Search(terms, nullptr, {});
  ASSERT_EQ(result.hits.size(), 2u);
  // Found by its expansion, behind the product whose title says it.
  EXPECT_EQ(result.hits[0].doc, catalog::DocId(1));
  EXPECT_EQ(result.hits[1].doc, catalog::DocId(0));
  const std::vector<catalog::DocId> first = {catalog::DocId(0)};
  const std::vector<TermMatch> m = index->MatchTerms(Terms("cordless drill"), first);
  EXPECT_EQ(m[0].fields, 1u << static_cast<unsigned>(Field::kExpansion));
  EXPECT_EQ(m[1].fields, 1u << static_cast<unsigned>(Field::kTitle));  // not counted twice
  // The reference formula sees the expansion as two distinct new terms.
  const ReferenceScorer reference(*catalog, options);
  EXPECT_NEAR(result.hits[1].score, reference.Score(terms, 0), 1e-5);
  // Its weight is the expansion field's own: at 0 the match scores nothing.
  options.field(Field::kExpansion).weight = 0;
  LEX_ASSERT_OK_AND_ASSIGN(unweighted, InvertedIndex::Build(*catalog, TestAnalyzer(), options));
  EXPECT_EQ(unweighted->Score(terms, catalog::DocId(0)), 0.0f);
  options.field(Field::kExpansion).weight = 3;
  LEX_ASSERT_OK_AND_ASSIGN(heavy, InvertedIndex::Build(*catalog, TestAnalyzer(), options));
  EXPECT_GT(heavy->Score(terms, catalog::DocId(0)), index->Score(terms, catalog::DocId(0)));
}

TEST(InvertedIndexTest, LargeKReturnsEveryMatch) {
  auto catalog = MakeCatalog(RandomProducts(8, 100));
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  SearchOptions all;
  all.k = 1'000'000'000;
  all.facets = true;
  const SearchResult r = index->Search(Terms("drill saw"), nullptr, all);
  ASSERT_TRUE(r.total_matches.has_value());
  EXPECT_EQ(r.hits.size(), *r.total_matches);
  EXPECT_TRUE(std::is_sorted(r.hits.begin(), r.hits.end(), RanksBefore));
}

TEST(InvertedIndexTest, EmptyCatalog) {
  auto catalog = MakeCatalog({});
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  EXPECT_EQ(index->num_docs(), 0u);
  EXPECT_EQ(index->num_terms(), 0u);
  EXPECT_TRUE(index->Search({"drill"}, nullptr, {}).hits.empty());
  LEX_ASSERT_OK_AND_ASSIGN(filter, index->CompileFilter({}));
  EXPECT_EQ(filter.Count(), 0u);
}

TEST(InvertedIndexTest, BuildRejectsInvalidOptions) {
  auto catalog = MakeCatalog(RandomProducts(9, 5));
  LexicalOptions bad;
  bad.k1 = -1;
  EXPECT_THAT(InvertedIndex::Build(*catalog, TestAnalyzer(), bad),
              StatusIs(absl::StatusCode::kInvalidArgument, "k1"));
}

TEST(InvertedIndexTest, SizesAndMemory) {
  auto catalog = MakeCatalog(RandomProducts(10, 200));
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  EXPECT_EQ(index->num_docs(), 200u);
  // The random vocabulary has about 80 words, plus brand and category words.
  EXPECT_GT(index->num_terms(), 50u);
  EXPECT_LT(index->num_terms(), 150u);
  EXPECT_GT(index->MemoryBytes(), 200u * 8);
}

}  // namespace
}  // namespace souk::lexical
