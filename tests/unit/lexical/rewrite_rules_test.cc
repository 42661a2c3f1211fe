// Synonym lines, synonyms files and learned rewrites files: what they mean, and the errors that
// name what was wrong.
#include "souk/lexical/rewrite_rules.h"

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SynonymLineTest, EquivalentPhrasesEachGetTheOthers) {
  const auto rules = ParseSynonymLine(" sofa, couch ,settee ");
  ASSERT_OK(rules);
  EXPECT_THAT(*rules, ElementsAre(RewriteRule{"sofa", "couch"}, RewriteRule{"sofa", "settee"},
                                  RewriteRule{"couch", "sofa"}, RewriteRule{"couch", "settee"},
                                  RewriteRule{"settee", "sofa"}, RewriteRule{"settee", "couch"}));
}

TEST(SynonymLineTest, AnArrowMapsOneWay) {
  const auto rules = ParseSynonymLine("telly, tele => tv, television");
  ASSERT_OK(rules);
  EXPECT_THAT(*rules, ElementsAre(RewriteRule{"telly", "tv"}, RewriteRule{"telly", "television"},
                                  RewriteRule{"tele", "tv"}, RewriteRule{"tele", "television"}));
  EXPECT_FALSE((*rules)[0].whole_query);
}

TEST(SynonymLineTest, BlankLinesGiveNothingAndMalformedOnesAreNamed) {
  ASSERT_OK(ParseSynonymLine("   "));
  EXPECT_THAT(*ParseSynonymLine("  "), IsEmpty());
  EXPECT_THAT(ParseSynonymLine("sofa"), StatusIs(absl::StatusCode::kInvalidArgument, "one phrase"));
  EXPECT_THAT(ParseSynonymLine("sofa,,couch"),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty phrase"));
  EXPECT_THAT(ParseSynonymLine("a => b => c"),
              StatusIs(absl::StatusCode::kInvalidArgument, "more than one"));
  EXPECT_THAT(ParseSynonymLine("a =>"), StatusIs(absl::StatusCode::kInvalidArgument, "empty"));
}

TEST(SynonymsFileTest, CommentsAndBlankLinesAreSkippedAndErrorsNameTheLine) {
  TempDir tmp;
  const std::string good =
      tmp.WriteFile("good.txt", "# shop synonyms\r\nsofa, couch # living\n\nhdmi => cable\n");
  const auto rules = ReadSynonymsFile(good);
  ASSERT_OK(rules);
  EXPECT_THAT(*rules, ElementsAre(RewriteRule{"sofa", "couch"}, RewriteRule{"couch", "sofa"},
                                  RewriteRule{"hdmi", "cable"}));
  const std::string bad = tmp.WriteFile("bad.txt", "sofa, couch\nlonely\n");
  EXPECT_THAT(ReadSynonymsFile(bad), StatusIs(absl::StatusCode::kInvalidArgument, "bad.txt:2"));
  EXPECT_THAT(ReadSynonymsFile(tmp.File("missing.txt")),
              StatusIs(absl::StatusCode::kNotFound, "missing"));
}

TEST(LearnedRewritesTest, WrittenFilesReadBackAsWholeQueryRules) {
  TempDir tmp;
  const std::vector<LearnedRewrite> rewrites = {{"charging block", "usb charger", 5},
                                                {"drll", "drill", 2}};
  ASSERT_OK(WriteLearnedRewrites(tmp.File("r.tsv"), rewrites));
  const auto read = ReadLearnedRewrites(tmp.File("r.tsv"));
  ASSERT_OK(read);
  EXPECT_EQ(*read, rewrites);
  const std::vector<RewriteRule> rules = AsRules(*read);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0], (RewriteRule{"charging block", "usb charger", /*whole_query=*/true}));
}

TEST(LearnedRewritesTest, BadFilesAndQueriesAreNamed) {
  TempDir tmp;
  const auto read = [&](const std::string& contents) {
    return ReadLearnedRewrites(tmp.WriteFile("r.tsv", contents));
  };
  EXPECT_THAT(read("a\tb\t2\n"), StatusIs(absl::StatusCode::kInvalidArgument, "header"));
  EXPECT_THAT(read("from\tto\tusers\na\tb\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "r.tsv:2: expected 3 cells"));
  EXPECT_THAT(read("from\tto\tusers\na\tb\t0\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "positive integer"));
  EXPECT_THAT(read("from\tto\tusers\n \tb\t3\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty query"));
  EXPECT_THAT(WriteLearnedRewrites(tmp.File("w.tsv"), {{"a\tb", "c", 2}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "tab"));
  EXPECT_FALSE(std::filesystem::exists(tmp.File("w.tsv")));
}

}  // namespace
}  // namespace souk::lexical
