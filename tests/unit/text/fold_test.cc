// FoldText: NFKC with case folding and blanks collapsed, nothing else.

#include "souk/text/fold.h"

#include "support/test_support.h"

namespace souk::text {
namespace {

TEST(FoldTextTest, FoldsCaseAndWidthAndCollapsesBlanks) {
  EXPECT_EQ(FoldText("  ＵＳＢ   Cable\t\nFAST "), "usb cable fast");
  EXPECT_EQ(FoldText("Straße"), "strasse");
  EXPECT_EQ(FoldText("蓝牙　耳机"), "蓝牙 耳机");  // an ideographic space is a blank
}

TEST(FoldTextTest, KeepsWordsWholeAndPunctuation) {
  // No stemming, no segmentation: "drills" stays "drills", "1/2-in." stays as typed.
  EXPECT_EQ(FoldText("Cordless Drills 1/2-in."), "cordless drills 1/2-in.");
}

TEST(FoldTextTest, EmptyAndBlankTextFoldToNothing) {
  EXPECT_EQ(FoldText(""), "");
  EXPECT_EQ(FoldText(" \t "), "");
}

TEST(FoldTextTest, IllFormedBytesBecomeTheReplacementCharacter) {
  EXPECT_EQ(FoldText("a\xff"
                     "b"),
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace souk::text
