// QueryRewriter: synonyms fire where their phrase occurs, learned rewrites only on their whole
// query; added terms are analyzed, appended once, bounded, and never repeat the query's own.
#include "souk/lexical/query_rewriter.h"

#include <memory>
#include <string>
#include <vector>

#include "lexical_test_util.h"
#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using testing::Terms;
using testing::TestAnalyzer;

std::unique_ptr<QueryRewriter> Rewriter(const std::vector<RewriteRule>& rules,
                                        size_t max_added_terms = 16) {
  auto rewriter = QueryRewriter::Build(rules, TestAnalyzer(), max_added_terms);
  EXPECT_OK(rewriter);
  return rewriter.ok() ? std::move(*rewriter) : nullptr;
}

std::vector<std::string> Rewrite(const QueryRewriter& rewriter, const std::string& query) {
  return rewriter.Rewrite(Terms(query), Terms(query));
}

TEST(QueryRewriterTest, ASynonymPhraseAddsItsTermsWhereverItOccurs) {
  const auto rewriter = Rewriter({{"Sofas", "couch"}, {"charging block", "wall charger"}});
  ASSERT_NE(rewriter, nullptr);
  // Rules are analyzed: "Sofas" matches "sofa".
  EXPECT_THAT(Rewrite(*rewriter, "grey sofa"), ElementsAre("grey", "sofa", "couch"));
  EXPECT_THAT(Rewrite(*rewriter, "usb charging block 20w"),
              ElementsAre("usb", "charg", "block", "20", "w", "wall", "charger"));
  // The phrase's words apart, or only some of them, do not fire it.
  EXPECT_THAT(Rewrite(*rewriter, "block charging"), ElementsAre("block", "charg"));
  EXPECT_THAT(Rewrite(*rewriter, "couch"), ElementsAre("couch"));
}

TEST(QueryRewriterTest, ALearnedRewriteFiresOnlyOnItsWholeQueryAsTyped) {
  const auto rewriter = Rewriter({{"drll press", "drill press", /*whole_query=*/true}});
  ASSERT_NE(rewriter, nullptr);
  EXPECT_THAT(Rewrite(*rewriter, "Drll Press"), ElementsAre("drll", "press", "drill"));
  EXPECT_THAT(Rewrite(*rewriter, "drll press bench"), ElementsAre("drll", "press", "bench"));
  // It matches the typed terms, whatever spelling made of them.
  EXPECT_THAT(rewriter->Rewrite(Terms("drll press"), {"drill", "press"}),
              ElementsAre("drill", "press"));
  EXPECT_THAT(rewriter->Rewrite(Terms("drll press"), {"dull", "press"}),
              ElementsAre("dull", "press", "drill"));
}

TEST(QueryRewriterTest, AddedTermsAreBoundedAndNeverRepeated) {
  const auto rewriter =
      Rewriter({{"tv", "television set"}, {"tv", "set top box"}, {"tv", "monitor"}},
               /*max_added_terms=*/3);
  ASSERT_NE(rewriter, nullptr);
  // "set" comes once; the bound stops at three added terms.
  EXPECT_THAT(Rewrite(*rewriter, "tv"), ElementsAre("tv", "televis", "set", "top"));
  EXPECT_THAT(Rewrite(*rewriter, "tv set"), ElementsAre("tv", "set", "televis", "top", "box"));
}

TEST(QueryRewriterTest, APhraseWithoutTermsIsNamed) {
  EXPECT_THAT(QueryRewriter::Build({{"sofa", "!!"}}, TestAnalyzer(), 16),
              StatusIs(absl::StatusCode::kInvalidArgument, "\"sofa\" -> \"!!\""));
}

TEST(QueryRewriterTest, LoadReadsEveryConfiguredSourceAndNamesTheBadOne) {
  TempDir tmp;
  RewriteOptions options;
  auto none = QueryRewriter::Load(options, TestAnalyzer());
  ASSERT_OK(none);
  EXPECT_EQ(*none, nullptr);
  options.synonyms = {"sofa, couch"};
  options.synonyms_file = tmp.WriteFile("syn.txt", "hdmi => cable\n");
  options.learned_file =
      tmp.WriteFile("learned.tsv", "from\tto\tusers\nwifi plug\tsmart plug\t4\n");
  auto rewriter = QueryRewriter::Load(options, TestAnalyzer());
  ASSERT_OK(rewriter);
  ASSERT_NE(*rewriter, nullptr);
  EXPECT_EQ((*rewriter)->num_synonym_rules(), 3u);
  EXPECT_EQ((*rewriter)->num_learned_rules(), 1u);
  EXPECT_THAT(Rewrite(**rewriter, "hdmi sofa"), ElementsAre("hdmi", "sofa", "cabl", "couch"));
  EXPECT_THAT(Rewrite(**rewriter, "wifi plug"), ElementsAre("wifi", "plug", "smart"));

  options.synonyms = {"sofa, couch", "lonely"};
  EXPECT_THAT(QueryRewriter::Load(options, TestAnalyzer()),
              StatusIs(absl::StatusCode::kInvalidArgument, "rewrites.synonyms[1]"));
  options.synonyms.clear();
  options.learned_file = tmp.File("missing.tsv");
  EXPECT_THAT(QueryRewriter::Load(options, TestAnalyzer()),
              StatusIs(absl::StatusCode::kNotFound, "missing"));
}

}  // namespace
}  // namespace souk::lexical
