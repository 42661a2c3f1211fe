#include "souk/text/analyzer.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "souk/base/utf8.h"
#include "support/test_support.h"

namespace souk::text {
namespace {

using ::souk::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using Terms = std::vector<std::string>;

std::unique_ptr<Analyzer> MakeAnalyzer(const AnalyzerOptions& options = {}) {
  absl::StatusOr<std::unique_ptr<Analyzer>> analyzer = Analyzer::Create(options);
  EXPECT_TRUE(analyzer.ok()) << analyzer.status();
  return analyzer.ok() ? std::move(*analyzer) : nullptr;
}

class AnalyzerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { analyzer_ = MakeAnalyzer().release(); }
  static void TearDownTestSuite() {
    delete analyzer_;
    analyzer_ = nullptr;
  }
  static Terms Analyze(std::string_view text) { return analyzer_->Analyze(text); }

  static Analyzer* analyzer_;
};

Analyzer* AnalyzerTest::analyzer_ = nullptr;

// Terms shared by two analyzed texts (as a set).
Terms Shared(Terms a, Terms b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  Terms shared;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  return shared;
}

// ---- options and fingerprint ----

TEST(AnalyzerOptionsTest, RejectsZeroBounds) {
  AnalyzerOptions options;
  EXPECT_TRUE(options.Validate().ok());
  options.max_term_bytes = 0;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "max_term_bytes"));
  EXPECT_THAT(Analyzer::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "max_term_bytes"));
  options = AnalyzerOptions();
  options.max_input_bytes = 0;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "max_input_bytes"));
}

TEST(AnalyzerOptionsTest, BoundsTheInputSoThatNormalizedTextFitsIcuStrings) {
  AnalyzerOptions options;
  options.max_input_bytes = size_t{64} << 20;
  EXPECT_OK(options.Validate());
  options.max_input_bytes = (size_t{64} << 20) + 1;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "max_input_bytes"));
  options.max_input_bytes = size_t{1} << 29;  // accepted before: NFKC could pass 2^31 units
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "64 MiB"));
}

TEST(AnalyzerFingerprintTest, IsStableAndChangesWithOptions) {
  const std::string base = MakeAnalyzer()->Fingerprint();
  EXPECT_EQ(MakeAnalyzer()->Fingerprint(), base);
  EXPECT_THAT(base, ::testing::StartsWith("souk-analyzer/2;"));  // bumped with the term rules
  EXPECT_THAT(base, ::testing::HasSubstr(";icu="));
  EXPECT_THAT(base, ::testing::HasSubstr("stem=snowball-english:"));

  AnalyzerOptions no_stem;
  no_stem.stem_english = false;
  AnalyzerOptions short_terms;
  short_terms.max_term_bytes = 16;
  AnalyzerOptions short_input;
  short_input.max_input_bytes = 1000;
  EXPECT_NE(MakeAnalyzer(no_stem)->Fingerprint(), base);
  EXPECT_NE(MakeAnalyzer(short_terms)->Fingerprint(), base);
  EXPECT_NE(MakeAnalyzer(short_input)->Fingerprint(), base);
}

// ---- normalization, stemming ----

TEST_F(AnalyzerTest, StemsEnglishInflections) {
  EXPECT_THAT(Analyze("Drills drilling drill DRILLED"),
              ElementsAre("drill", "drill", "drill", "drill"));
  EXPECT_EQ(Analyze("cordless batteries"), Analyze("Cordless Battery"));
}

TEST_F(AnalyzerTest, AnalyzedTextJoinsTheTermsBySingleSpaces) {
  EXPECT_EQ(analyzer_->AnalyzedText("  Cordless Drills, 18V  "), "cordless drill 18 v");
  EXPECT_EQ(analyzer_->AnalyzedText("...!"), "");
}

TEST(AnalyzerNoStemTest, KeepsInflectionsWhenStemmingIsOff) {
  AnalyzerOptions options;
  options.stem_english = false;
  EXPECT_THAT(MakeAnalyzer(options)->Analyze("Drills drilling"), ElementsAre("drills", "drilling"));
}

TEST_F(AnalyzerTest, FoldsCaseAndCompatibilityForms) {
  EXPECT_THAT(Analyze("ＵＳＢ"), ElementsAre("usb"));  // full-width
  EXPECT_EQ(Analyze("ＵＳＢ Ｃａｂｌｅ"), Analyze("usb cable"));
  EXPECT_THAT(Analyze("ﬁre"), ElementsAre("fire"));                         // ligature
  EXPECT_THAT(Analyze("STRASSE Straße"), ElementsAre("strass", "strass"));  // full case folding
}

TEST_F(AnalyzerTest, DropsDiacriticsAndApostrophesOfLatinWords) {
  EXPECT_EQ(Analyze("Café crème"), Analyze("cafe creme"));
  EXPECT_THAT(Analyze("Men's"), ElementsAre("men"));
  EXPECT_EQ(Analyze("don\xE2\x80\x99t"), Analyze("don't"));  // U+2019
  EXPECT_THAT(Analyze("don't"), ElementsAre("dont"));
  EXPECT_THAT(Analyze("U.S.A."), ElementsAre("usa"));
}

TEST_F(AnalyzerTest, KeepsStopwords) {
  EXPECT_THAT(Analyze("the in and"), ElementsAre("the", "in", "and"));
}

// ---- Chinese ----

TEST_F(AnalyzerTest, SegmentsChineseIntoWords) {
  const Terms title = Analyze("无线蓝牙耳机");
  ASSERT_GE(title.size(), 2u);
  for (const std::string& term : title) {
    EXPECT_GE(souk::CodePointCount(term), 2u) << term;  // words, not single characters
  }
  const Terms shared = Shared(title, Analyze("蓝牙耳机"));
  EXPECT_GE(shared.size(), 2u);
  EXPECT_THAT(title, Contains("蓝牙"));
  EXPECT_THAT(Analyze("手机壳"), Contains("手机"));
}

TEST_F(AnalyzerTest, MixesChineseAndEnglish) {
  const Terms terms = Analyze("iPhone 15 手机壳");
  ASSERT_GE(terms.size(), 3u);
  EXPECT_EQ(terms[0], "iphon");
  EXPECT_EQ(terms[1], "15");
  EXPECT_EQ(terms[2], "手机");
  EXPECT_THAT(Shared(terms, Analyze("苹果手机壳 iphone")), IsSupersetOf({"iphon", "手机"}));
}

// ---- numbers and units ----

TEST_F(AnalyzerTest, KeepsFractionsAndDecimalsWhole) {
  EXPECT_THAT(Analyze("1/2 in. PVC"), ElementsAre("1/2", "in", "pvc"));
  EXPECT_EQ(Analyze("1/2 inch pvc"), Analyze("1/2 in. PVC"));
  EXPECT_THAT(Analyze("3/4-in"), ElementsAre("3/4", "in"));
  EXPECT_THAT(Analyze("1-1/2 in."), ElementsAre("1", "1/2", "in"));
  EXPECT_EQ(Analyze("1 1/2 inches"), Analyze("1-1/2 in."));
  EXPECT_THAT(Analyze("\xC2\xBD inch"), ElementsAre("1/2", "in"));  // ½
  EXPECT_THAT(Analyze("1/2HP 3x1/2"), ElementsAre("1/2", "hp", "3", "x", "1/2"));
  EXPECT_THAT(Analyze("1 / 2"), ElementsAre("1", "2"));  // spaced: not a fraction
  EXPECT_THAT(Analyze("a/b"), ElementsAre("a", "b"));
  EXPECT_THAT(Analyze("6.5 oz"), ElementsAre("6.5", "oz"));
  EXPECT_THAT(Analyze("1,000-Watt"), ElementsAre("1000", "w"));
}

TEST_F(AnalyzerTest, SplitsNumbersThatOnlyASeparatorJoins) {
  // UAX #29 keeps these as one numeric word; before analyzer version 2 their digits were glued
  // ("56", "6810", "15").
  EXPECT_THAT(Analyze("5'6\""), ElementsAre("5", "ft", "6", "in"));
  EXPECT_THAT(Analyze("6'8\" door"), ElementsAre("6", "ft", "8", "in", "door"));
  EXPECT_EQ(Analyze("5'6\""), Analyze("5 ft. 6 in."));
  EXPECT_THAT(Analyze("sizes 6,8,10"), ElementsAre("size", "6", "8", "10"));
  EXPECT_THAT(Analyze("1,5"), ElementsAre("1", "5"));
  EXPECT_THAT(Analyze("1,000"), ElementsAre("1000"));
  EXPECT_THAT(Analyze("12,345,678.5"), ElementsAre("12345678.5"));
  EXPECT_THAT(Analyze("1,0000 12,34"), ElementsAre("1", "0000", "12", "34"));
  EXPECT_THAT(Analyze("1;2"), ElementsAre("1", "2"));
  EXPECT_THAT(Analyze("2x5'6"), ElementsAre("2", "x", "5", "ft", "6"));
}

TEST_F(AnalyzerTest, ReadsAVulgarFractionAfterADigitAsItsOwnNumber) {
  // NFKC alone turns "1½" into "11⁄2" (eleven halves).
  EXPECT_THAT(Analyze("1\xC2\xBD in."), ElementsAre("1", "1/2", "in"));  // 1½
  EXPECT_EQ(Analyze("1\xC2\xBD in."), Analyze("1-1/2 in."));
  EXPECT_EQ(Analyze("2\xE2\x85\x9B\""), Analyze("2 1/8 in"));  // 2⅛" (U+215B)
  EXPECT_THAT(Analyze("\xC2\xBE"), ElementsAre("3/4"));        // ¾ alone is unchanged
  EXPECT_THAT(Analyze("x\xC2\xBD"), ElementsAre("x", "1/2"));
}

TEST_F(AnalyzerTest, SplitsDigitsFromLetters) {
  EXPECT_THAT(Analyze("120V"), ElementsAre("120", "v"));
  EXPECT_EQ(Analyze("120 volts"), Analyze("120V"));
  EXPECT_THAT(Analyze("2x4"), ElementsAre("2", "x", "4"));
  EXPECT_EQ(Analyze("2 x 4"), Analyze("2x4"));
  EXPECT_EQ(Analyze("2\xC3\x97" + std::string("4")), Analyze("2x4"));  // 2×4
  EXPECT_THAT(Analyze("10ft"), ElementsAre("10", "ft"));
  EXPECT_THAT(Analyze("6.5oz"), ElementsAre("6.5", "oz"));
  EXPECT_THAT(Analyze("15a 100A"), ElementsAre("15", "amp", "100", "amp"));
  EXPECT_EQ(Analyze("15 amps"), Analyze("15a"));
  EXPECT_THAT(Analyze("#SC-141"), ElementsAre("sc", "141"));
  EXPECT_THAT(Analyze("m10-1.5"), ElementsAre("m", "10", "1.5"));
  EXPECT_THAT(Analyze("abc_123 a_b ___"), ElementsAre("abc", "123", "a", "b"));
}

TEST_F(AnalyzerTest, CanonicalizesUnitWords) {
  EXPECT_EQ(Analyze("12 gauge"), Analyze("12-Gauge"));
  EXPECT_EQ(Analyze("12 ga"), Analyze("12-Gauge"));
  EXPECT_THAT(Analyze("12-Gauge"), ElementsAre("12", "gauge"));
  EXPECT_EQ(Analyze("1 gallon"), Analyze("1-gal."));
  EXPECT_THAT(Analyze("5 Gallons"), ElementsAre("5", "gal"));
  EXPECT_EQ(Analyze("10 feet"), Analyze("10 ft."));
  EXPECT_EQ(Analyze("1 foot"), Analyze("1 ft"));
  EXPECT_EQ(Analyze("5 pounds"), Analyze("5 lb."));
  EXPECT_EQ(Analyze("5 lbs"), Analyze("5 lb."));
  EXPECT_EQ(Analyze("8 ounce"), Analyze("8 oz."));
  EXPECT_EQ(Analyze("100 square feet"), Analyze("100 sq. ft."));
  EXPECT_EQ(Analyze("6-pack"), Analyze("6 pk"));
}

TEST_F(AnalyzerTest, DimensionQueriesShareTermsWithTitles) {
  EXPECT_THAT(Analyze("2 in. x 4 in. x 8 ft. Lumber"), IsSupersetOf(Analyze("2 x 4")));
  EXPECT_THAT(Analyze("2 in. x 4 in. x 8 ft. Lumber"), IsSupersetOf(Analyze("2x4 lumber")));
}

TEST_F(AnalyzerTest, ReadsQuotesAfterNumbersAsUnits) {
  EXPECT_THAT(Analyze("1/2\""), ElementsAre("1/2", "in"));
  EXPECT_THAT(Analyze("90''"), ElementsAre("90", "in"));
  EXPECT_THAT(Analyze("46'"), ElementsAre("46", "ft"));
  EXPECT_THAT(Analyze("6'x8'"), ElementsAre("6", "ft", "x", "8", "ft"));
  EXPECT_THAT(Analyze("90's"), ElementsAre("90", "s"));
  EXPECT_THAT(Analyze("\"quoted\""), ElementsAre("quot"));
}

// ---- odd input ----

TEST_F(AnalyzerTest, PunctuationAndEmptyInputGiveNoTerms) {
  EXPECT_THAT(Analyze(""), IsEmpty());
  EXPECT_THAT(Analyze("   "), IsEmpty());
  EXPECT_THAT(Analyze(" ... !!! --- / # ,.;:"), IsEmpty());
  EXPECT_THAT(Analyze("\xF0\x9F\x98\x80\xE2\x9C\x85"), IsEmpty());  // emoji
  EXPECT_THAT(Analyze("\xEF\xBC\x8C\xE3\x80\x82"), IsEmpty());      // ，。
}

TEST_F(AnalyzerTest, ReplacesInvalidUtf8) {
  EXPECT_THAT(Analyze("drill\xFF\xFEsaw"), ElementsAre("drill", "saw"));
  EXPECT_THAT(Analyze("\xC0\xAF" + std::string("bit")), ElementsAre("bit"));      // overlong "/"
  EXPECT_THAT(Analyze("\xED\xA0\x80" + std::string("bit")), ElementsAre("bit"));  // surrogate
  EXPECT_THAT(Analyze("bit \xE6\x97"), ElementsAre("bit"));  // truncated at the end
  EXPECT_THAT(Analyze("\x80\x80\x80"), IsEmpty());
  for (const std::string& term : Analyze("a\xF5\xC3(\xE6\x97\xA0\xE7\xBA\xBF\xFF")) {
    EXPECT_TRUE(souk::IsValidUtf8(term)) << term;
  }
}

TEST(AnalyzerBoundsTest, TruncatesInputAtACodePointBoundary) {
  AnalyzerOptions options;
  options.max_input_bytes = 10;
  std::unique_ptr<Analyzer> analyzer = MakeAnalyzer(options);
  EXPECT_THAT(analyzer->Analyze("drill saw hammer"), ElementsAre("drill", "saw"));
  options.max_input_bytes = 8;  // inside the third character of 无线蓝牙
  EXPECT_THAT(MakeAnalyzer(options)->Analyze("无线蓝牙"), ElementsAre("无线"));
}

TEST(AnalyzerBoundsTest, DropsTermsLongerThanTheBound) {
  AnalyzerOptions options;
  options.max_term_bytes = 8;
  EXPECT_THAT(MakeAnalyzer(options)->Analyze("supercalifragilistic drill"), ElementsAre("drill"));
  const std::string blob(200, 'q');
  EXPECT_THAT(MakeAnalyzer()->Analyze(blob + " drill"), ElementsAre("drill"));
}

TEST_F(AnalyzerTest, BoundsAHugeInput) {
  std::string huge;
  while (huge.size() < 2 * (1u << 20)) huge += "drill ";
  const Terms terms = Analyze(huge);
  const size_t words_in_bound = (1u << 20) / 6;  // "drill " is 6 bytes
  EXPECT_GE(terms.size(), words_in_bound);
  EXPECT_LE(terms.size(), words_in_bound + 1);
}

// ---- threads ----

TEST_F(AnalyzerTest, GivesIdenticalResultsFromManyThreads) {
  const std::vector<std::string> texts = {
      "Simpson Strong-Tie 12-Gauge Angle", "无线蓝牙耳机 iPhone 15 手机壳",
      "BEHR Premium Textured DeckOver 1-gal. #SC-141", "1/2 in. x 10 ft. PVC Sch. 40 Pipe",
      "Café crème 120V 2x4 ½\""};
  std::vector<Terms> expected;
  for (const std::string& text : texts) expected.push_back(Analyze(text));

  constexpr int kThreads = 8;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 100; ++round) {
        const size_t i = static_cast<size_t>(round + t) % texts.size();
        if (analyzer_->Analyze(texts[i]) != expected[i]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

}  // namespace
}  // namespace souk::text
