#include "souk/base/text_lines.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "souk/base/ascii.h"
#include "souk/base/numbers.h"
#include "souk/base/quote.h"

namespace souk {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Lines(std::string_view text, std::vector<size_t>* numbers = nullptr) {
  LineCursor cursor(text);
  std::vector<std::string> lines;
  std::string_view line;
  while (cursor.Next(&line)) {
    lines.emplace_back(line);
    if (numbers != nullptr) numbers->push_back(cursor.line_number());
  }
  return lines;
}

TEST(LineCursorTest, SplitsAtNewlinesDroppingCrAndBom) {
  std::vector<size_t> numbers;
  EXPECT_THAT(Lines("\xEF\xBB\xBF"
                    "a\r\n\r\nb\nc",
                    &numbers),
              ElementsAre("a", "", "b", "c"));
  EXPECT_THAT(numbers, ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(Lines(""), ElementsAre());
  EXPECT_THAT(Lines("a\n"), ElementsAre("a"));        // the last terminator ends the last line
  EXPECT_THAT(Lines("a\rb\n"), ElementsAre("a\rb"));  // only a '\r' before '\n' is dropped
  EXPECT_THAT(Lines("x\xEF\xBB\xBF"), ElementsAre("x\xEF\xBB\xBF"));  // only a leading BOM
}

TEST(SplitTabsTest, EveryTabSeparates) {
  EXPECT_THAT(SplitTabs(""), ElementsAre(""));
  EXPECT_THAT(SplitTabs("a\t\tb\t"), ElementsAre("a", "", "b", ""));
  EXPECT_THAT(SplitTabs("\"a\tb\""), ElementsAre("\"a", "b\""));  // no quoting
  std::vector<std::string_view> cells = {"stale"};
  SplitTabs("x\ty", &cells);
  EXPECT_THAT(cells, ElementsAre("x", "y"));
}

TEST(TrimBlanksTest, TrimsSpacesAndTabsOnly) {
  EXPECT_EQ(TrimBlanks(" \ta b\t "), "a b");
  EXPECT_EQ(TrimBlanks("\na\n"), "\na\n");
  EXPECT_EQ(TrimBlanks("   "), "");
}

TEST(ParseWholeTest, AcceptsOneNumberFillingTheField) {
  EXPECT_EQ(ParseWhole<int64_t>(" 42\t"), 42);
  EXPECT_EQ(ParseWhole<int64_t>("-7"), -7);
  EXPECT_EQ(ParseWhole<double>("1e3"), 1000.0);
  EXPECT_EQ(ParseWhole<double>("2.5"), 2.5);
  EXPECT_EQ(ParseWhole<uint64_t>("18446744073709551615"), UINT64_MAX);
}

TEST(ParseWholeTest, RefusesEverythingElse) {
  for (std::string_view bad : {"", " ", "12x", "1 2", "+1", "0x10", "1,000"}) {
    EXPECT_EQ(ParseWhole<int64_t>(bad), std::nullopt) << bad;
    EXPECT_EQ(ParseWhole<double>(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseWhole<int64_t>("9223372036854775808"), std::nullopt);  // overflow, not wrap
  EXPECT_EQ(ParseWhole<uint64_t>("-2"), std::nullopt);
  EXPECT_EQ(ParseWhole<int64_t>("2.5"), std::nullopt);
  for (std::string_view bad : {"inf", "-inf", "nan", "1e999"}) {
    EXPECT_EQ(ParseWhole<double>(bad), std::nullopt) << bad;
  }
}

TEST(QuoteForErrorTest, EscapesWhatWouldMakeTheMessageAmbiguous) {
  EXPECT_EQ(QuoteForError("abc"), "\"abc\"");
  EXPECT_EQ(QuoteForError("颜色"), "\"颜色\"");
  EXPECT_EQ(QuoteForError("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(QuoteForError("tab\there\n"), "\"tab\\x09here\\x0a\"");
  EXPECT_EQ(QuoteForError("bad \xc3"), "\"bad \\xc3\"");
  EXPECT_EQ(QuoteForError(std::string(100, 'x')), "\"" + std::string(80, 'x') + "...\"");
}

TEST(AsciiLowerCollapsingBlanksTest, TrimsCollapsesAndLowers) {
  EXPECT_EQ(AsciiLowerCollapsingBlanks("  Drill \t\v Bits\r\n"), "drill bits");
  EXPECT_EQ(AsciiLowerCollapsingBlanks("无线  耳机 ÀB"), "无线 耳机 Àb");
  EXPECT_EQ(AsciiLowerCollapsingBlanks(" \f "), "");
}

TEST(AsciiLowerTest, LowersAsciiLettersOnly) {
  EXPECT_EQ(AsciiLower("USB-C Ladegerät ÀÉ 中文"), "usb-c ladegerät ÀÉ 中文");
  EXPECT_EQ(AsciiLower("\xC0\xDE"), "\xC0\xDE");  // bytes a Latin-1 locale would lower-case
}

}  // namespace
}  // namespace souk
