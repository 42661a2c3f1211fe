// CompletionIndex: exact completions by weight, folding, Chinese prefixes, one typo in longer
// prefixes (after every exact completion), empty and overlong prefixes.

#include "souk/suggest/completion_index.h"

#include "support/test_support.h"

namespace souk::suggest {
namespace {

std::vector<std::string> Texts(const std::vector<Completion>& completions) {
  std::vector<std::string> out;
  for (const Completion& c : completions) out.push_back(c.text);
  return out;
}

TEST(CompletionIndexTest, CompletesAPrefixHeaviestFirst) {
  const CompletionIndex index = CompletionIndex::Build(
      {{"usb cable", 5}, {"usb charger", 9}, {"usb hub", 1}, {"garden hose", 3}});
  EXPECT_EQ(index.size(), 4u);
  // Two exact completions, then one a letter away ("usb h") fills the list.
  const std::vector<Completion> usb_c = index.Complete("usb c");
  ASSERT_EQ(usb_c.size(), 3u);
  EXPECT_EQ(usb_c[0], (Completion{"usb charger", 9, false}));
  EXPECT_EQ(usb_c[1], (Completion{"usb cable", 5, false}));
  EXPECT_EQ(usb_c[2], (Completion{"usb hub", 1, true}));
  EXPECT_EQ(Texts(index.Complete("usb")),
            (std::vector<std::string>{"usb charger", "usb cable", "usb hub"}));
  EXPECT_EQ(Texts(index.Complete("usb", 2)),
            (std::vector<std::string>{"usb charger", "usb cable"}));
  const std::vector<Completion> hose = index.Complete("garden hose");  // a whole phrase
  ASSERT_EQ(hose.size(), 1u);
  EXPECT_EQ(hose[0], (Completion{"garden hose", 3, false}));
  EXPECT_TRUE(index.Complete("hose").empty());  // prefixes, not words inside
}

TEST(CompletionIndexTest, FoldsCaseWidthAndBlanksAndMergesWhatFoldsAlike) {
  const CompletionIndex index =
      CompletionIndex::Build({{"USB  Cable", 2}, {"usb cable", 3}, {"ＵＳＢ Hub", 1}});
  EXPECT_EQ(index.size(), 2u);
  const std::vector<Completion> found = index.Complete("  Usb ");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], (Completion{"usb cable", 5, false}));
  EXPECT_EQ(found[1], (Completion{"usb hub", 1, false}));
}

TEST(CompletionIndexTest, CompletesChinesePrefixesCharacterByCharacter) {
  const CompletionIndex index =
      CompletionIndex::Build({{"蓝牙耳机", 4}, {"蓝牙音箱", 2}, {"蓝色衬衫", 1}, {"红色衬衫", 8}});
  EXPECT_EQ(Texts(index.Complete("蓝牙")), (std::vector<std::string>{"蓝牙耳机", "蓝牙音箱"}));
  EXPECT_EQ(Texts(index.Complete("蓝")),
            (std::vector<std::string>{"蓝牙耳机", "蓝牙音箱", "蓝色衬衫"}));
  // Four characters with one wrong one: corrected.
  const std::vector<Completion> typo = index.Complete("蓝芽耳机");
  ASSERT_EQ(typo.size(), 1u);
  EXPECT_EQ(typo[0], (Completion{"蓝牙耳机", 4, true}));
}

TEST(CompletionIndexTest, FindsOneTypoInPrefixesOfFourOrMoreCharacters) {
  const CompletionIndex index =
      CompletionIndex::Build({{"charger", 5}, {"cordless drill", 3}, {"chair", 1}});
  for (const char* typed : {"chra", "chrager",     // neighbours swapped
                            "chager",              // a letter left out
                            "chaarger", "xcharg",  // a letter too many
                            "chxrger"}) {          // a wrong letter
    const std::vector<Completion> found = index.Complete(typed);
    ASSERT_FALSE(found.empty()) << typed;
    EXPECT_EQ(found[0], (Completion{"charger", 5, true})) << typed;
  }
  EXPECT_TRUE(index.Complete("chx").empty());      // three letters: no typo allowed
  EXPECT_TRUE(index.Complete("chxrgxr").empty());  // two edits
}

TEST(CompletionIndexTest, ExactCompletionsComeBeforeCorrectedOnes) {
  const CompletionIndex index = CompletionIndex::Build({{"drill", 100}, {"drip edge", 1}});
  const std::vector<Completion> found = index.Complete("drip");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], (Completion{"drip edge", 1, false}));
  EXPECT_EQ(found[1], (Completion{"drill", 100, true}));
}

TEST(CompletionIndexTest, AnEmptyPrefixGetsTheHeaviestPhrases) {
  std::vector<Phrase> phrases;
  for (int i = 1; i <= 15; ++i) phrases.push_back({"phrase " + std::to_string(i), double(i)});
  const CompletionIndex index = CompletionIndex::Build(phrases);
  const std::vector<Completion> found = index.Complete("");
  ASSERT_EQ(found.size(), CompletionIndex::kMaxCompletions);
  EXPECT_EQ(found[0].text, "phrase 15");
  EXPECT_EQ(found[9].text, "phrase 6");
  EXPECT_EQ(index.Complete("   ", 3).size(), 3u);  // blanks fold to the empty prefix
  EXPECT_EQ(index.Complete("", 50).size(), CompletionIndex::kMaxCompletions);
  EXPECT_TRUE(index.Complete("", 0).empty());
}

TEST(CompletionIndexTest, AVeryLongPrefixFindsNothing) {
  const CompletionIndex index = CompletionIndex::Build({{"usb cable", 1}});
  EXPECT_TRUE(index.Complete(std::string(100000, 'u')).empty());
  EXPECT_TRUE(index.Complete("usb cable and a great deal more").empty());
}

TEST(CompletionIndexTest, DropsPhrasesWithoutWeightOrText) {
  const CompletionIndex index = CompletionIndex::Build(
      {{"kept", 1}, {"zero", 0}, {"negative", -2}, {"  ", 4}, {std::string(300, 'x'), 5}});
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(Texts(index.Complete("")), (std::vector<std::string>{"kept"}));
  EXPECT_TRUE(CompletionIndex::Build({}).Complete("").empty());
}

}  // namespace
}  // namespace souk::suggest
