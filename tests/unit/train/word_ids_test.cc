// AssignWordIds (masking.h).

#include <string>
#include <vector>

#include "souk/train/masking.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr PieceStyle kSp = PieceStyle::kSentencePiece;
constexpr PieceStyle kWp = PieceStyle::kWordPiece;

TEST(AssignWordIdsTest, SentencePieceMarkerStartsWords) {
  EXPECT_THAT(AssignWordIds({"▁drill", "ing", "▁bit"}, kSp, {"drill", "bit"}),
              ElementsAre(0, 0, 1));
  // Stemmed English terms that are not in the text change nothing.
  EXPECT_THAT(AssignWordIds({"▁Drill", "ing", "▁bit", "s"}, kSp, {"drill", "bit"}),
              ElementsAre(0, 0, 1, 1));
  EXPECT_THAT(AssignWordIds({}, kSp, {"x"}), IsEmpty());
}

TEST(AssignWordIdsTest, FirstPieceStartsWordZeroWithoutMarker) {
  EXPECT_THAT(AssignWordIds({"drill", "ing"}, kSp, {}), ElementsAre(0, 0));
}

TEST(AssignWordIdsTest, HanTermsStartWordsInsidePieces) {
  // "今天在" starts where the term 今天 begins; the piece spans 今天 and 在 but gets one id.
  EXPECT_THAT(AssignWordIds({"▁我们", "今天在", "北京"}, kSp, {"我们", "今天", "在", "北京"}),
              ElementsAre(0, 1, 2));
}

TEST(AssignWordIdsTest, PieceStartingInsideATermContinuesIt) {
  EXPECT_THAT(AssignWordIds({"▁电", "钻", "头", "好"}, kSp, {"电钻头", "好"}),
              ElementsAre(0, 0, 0, 1));
  // "钻头好" starts inside 电钻 and belongs to it, although 好 begins inside it.
  EXPECT_THAT(AssignWordIds({"▁电", "钻头好"}, kSp, {"电钻", "头", "好"}), ElementsAre(0, 0));
}

TEST(AssignWordIdsTest, WithoutTermsHanPiecesFollowThePieceStyle) {
  EXPECT_THAT(AssignWordIds({"▁我们", "今天", "▁北京"}, kSp, {}), ElementsAre(0, 0, 1));
}

TEST(AssignWordIdsTest, KanaTermsCount) {
  EXPECT_THAT(AssignWordIds({"▁ドリル", "ビット"}, kSp, {"ドリル", "ビット"}), ElementsAre(0, 1));
}

TEST(AssignWordIdsTest, BareMarkerJoinsTheFollowingWord) {
  EXPECT_THAT(AssignWordIds({"▁", "我们", "今天"}, kSp, {"我们", "今天"}), ElementsAre(0, 0, 1));
}

TEST(AssignWordIdsTest, ByteFallbackPiecesSpellOneCharacter) {
  // 鑫 is E9 91 AB: three byte pieces, then 电钻.
  EXPECT_THAT(AssignWordIds({"▁", "<0xE9>", "<0x91>", "<0xAB>", "电钻"}, kSp, {"鑫", "电钻"}),
              ElementsAre(0, 0, 0, 0, 1));
  EXPECT_THAT(AssignWordIds({"▁电", "<0xE9>", "<0x91>", "<0xAB>"}, kSp, {"电鑫"}),
              ElementsAre(0, 0, 0, 0));
}

TEST(AssignWordIdsTest, WordPieceContinuations) {
  EXPECT_THAT(AssignWordIds({"un", "##aff", "##able"}, kWp, {"unaffable"}), ElementsAre(0, 0, 0));
  EXPECT_THAT(AssignWordIds({"un", "##aff", "##able", "drill"}, kWp, {}), ElementsAre(0, 0, 0, 1));
}

TEST(AssignWordIdsTest, WordPieceHanCharactersJoinTheirTerm) {
  // BERT's basic tokenizer gives every Han character its own piece, without "##".
  EXPECT_THAT(AssignWordIds({"我", "们", "今", "天", "在", "北", "京"}, kWp,
                            {"我们", "今天", "在", "北京"}),
              ElementsAre(0, 0, 1, 1, 2, 3, 3));
}

}  // namespace
}  // namespace souk::train
