#include "souk/recommend/interactions.h"

#include "support/test_support.h"

namespace souk::recommend {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;

TEST(InteractionsTest, ReadsHistoriesInOrderWithItemsNumberedByFirstAppearance) {
  TempDir tmp;
  const std::string path = tmp.WriteFile("i.txt", "u1 a\nu2 b\r\nu1 c\n\n u2\ta \nu1 a\n");
  auto read = ReadInteractions(path);
  ASSERT_OK(read);
  EXPECT_EQ(read->lines, 5u);
  EXPECT_EQ(read->items.size(), 3u);
  EXPECT_EQ(read->items.Find("a"), 1u);
  EXPECT_EQ(read->items.Find("b"), 2u);
  EXPECT_EQ(read->items.Find("c"), 3u);
  EXPECT_EQ(read->items.Find("z"), 0u);
  EXPECT_EQ(read->items.Name(2), "b");
  ASSERT_EQ(read->users.size(), 2u);
  EXPECT_EQ(read->users[0].user, "u1");
  EXPECT_THAT(read->users[0].items, ElementsAre(1, 3, 1));
  EXPECT_EQ(read->users[1].user, "u2");
  EXPECT_THAT(read->users[1].items, ElementsAre(2, 1));
}

TEST(InteractionsTest, AFixedVocabularySkipsAndCountsUnknownItems) {
  TempDir tmp;
  ItemVocabulary vocabulary;
  vocabulary.Add("a");
  vocabulary.Add("b");
  auto read = ReadInteractions(tmp.WriteFile("i.txt", "u1 a\nu1 x\nu2 y\nu1 b\n"), vocabulary);
  ASSERT_OK(read);
  EXPECT_EQ(read->items.size(), 2u);
  EXPECT_EQ(read->unknown_items, 2u);
  EXPECT_EQ(read->num_interactions(), 2u);
  ASSERT_EQ(read->users.size(), 2u);
  EXPECT_THAT(read->users[0].items, ElementsAre(1, 2));
  EXPECT_TRUE(read->users[1].items.empty());  // kept, with nothing known
  EXPECT_THAT(read->in_file_order, ElementsAre(1, 2));
}

TEST(InteractionsTest, AVocabularyCanBeExtendedByUnknownItems) {
  TempDir tmp;
  ItemVocabulary vocabulary;
  vocabulary.Add("a");
  auto read = ReadInteractions(tmp.WriteFile("i.txt", "u1 x\nu1 a\nu1 x\n"), vocabulary,
                               UnknownItems::kAdd);
  ASSERT_OK(read);
  EXPECT_EQ(read->unknown_items, 0u);
  ASSERT_EQ(read->items.size(), 2u);
  EXPECT_EQ(read->items.Name(2), "x");  // after the given items
  EXPECT_THAT(read->users[0].items, ElementsAre(2, 1, 2));
}

TEST(InteractionsTest, BadFilesAreNamed) {
  TempDir tmp;
  EXPECT_THAT(ReadInteractions(tmp.WriteFile("three.txt", "u1 a\nu1 b 5\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "three.txt:2: 3 fields"));
  EXPECT_THAT(ReadInteractions(tmp.WriteFile("one.txt", "u1\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "one.txt:1: 1 fields"));
  EXPECT_THAT(ReadInteractions(tmp.WriteFile("empty.txt", "\n\n")),
              StatusIs(absl::StatusCode::kFailedPrecondition, "no interactions"));
  EXPECT_THAT(ReadInteractions(tmp.File("missing.txt")), StatusIs(absl::StatusCode::kNotFound, ""));
}

TEST(ItemVocabularyTest, TextRoundTripsAndBadTextIsNamed) {
  ItemVocabulary vocabulary;
  vocabulary.Add("b");
  vocabulary.Add("a");
  EXPECT_EQ(vocabulary.ToText(), "b\na\n");
  auto again = ItemVocabulary::FromText(vocabulary.ToText(), "items.txt");
  ASSERT_OK(again);
  EXPECT_EQ(again->Find("b"), 1u);
  EXPECT_EQ(again->Find("a"), 2u);
  EXPECT_THAT(ItemVocabulary::FromText("a\nb\na\n", "items.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, "items.txt:3: item 'a' repeated"));
  EXPECT_THAT(ItemVocabulary::FromText("a\n\nb\n", "items.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, "items.txt:2"));
  EXPECT_THAT(ItemVocabulary::FromText("a b\n", "items.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, "items.txt:1"));
}

}  // namespace
}  // namespace souk::recommend
