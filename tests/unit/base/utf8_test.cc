#include "souk/base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace souk {
namespace {

using std::string_literals::operator""s;

TEST(IsValidUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("nul\0inside"s));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));               // é, two bytes
  EXPECT_TRUE(IsValidUtf8("\xE6\x97\xA0\xE7\xBA\xBF"));  // 无线, three bytes each
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));          // U+1F600, four bytes
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));                  // U+0080, smallest two-byte
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));              // U+0800, smallest three-byte
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));          // U+10000, smallest four-byte
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));              // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));              // U+E000, just above them
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));          // U+10FFFF, the last code point
}

TEST(IsValidUtf8Test, RejectsOverlongForms) {
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // NUL in two bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // U+007F in two bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\x80"));      // NUL in three bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\x80"));  // NUL in four bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(IsValidUtf8Test, RejectsSurrogatesAndCodePointsPastTheEnd) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xFE"));
}

TEST(IsValidUtf8Test, RejectsTruncatedAndStraySequences) {
  EXPECT_FALSE(IsValidUtf8("\xE6\x97"));         // 无 without its last byte
  EXPECT_FALSE(IsValidUtf8("ok \xF0\x9F\x98"));  // emoji cut at the end
  EXPECT_FALSE(IsValidUtf8("\xC3"));             // lead byte alone
  EXPECT_FALSE(IsValidUtf8("\x80"));             // continuation byte alone
  EXPECT_FALSE(IsValidUtf8("a\xBF" + std::string("b")));
  EXPECT_FALSE(IsValidUtf8("\xE6\x41\xA0"));  // ASCII where a continuation belongs
  EXPECT_FALSE(IsValidUtf8("\xC3\xA9\xA9"));  // one continuation too many
}

TEST(CodePointCountTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("drill"), 5u);
  EXPECT_EQ(CodePointCount("caf\xC3\xA9"), 4u);
  EXPECT_EQ(CodePointCount("\xE6\x97\xA0\xE7\xBA\xBF"), 2u);
  EXPECT_EQ(CodePointCount("a\xF0\x9F\x98\x80" + std::string("b")), 3u);
}

}  // namespace
}  // namespace souk
