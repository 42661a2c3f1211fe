#include "souk/text/wordpiece_tokenizer.h"

#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/test_support.h"

// Expectations are hand-derived from Hugging Face's slow BertTokenizer (tokenization_bert.py and
// PreTrainedTokenizer.tokenize), several taken from HF's own tests/models/bert tests.
namespace souk::text {

// Readable failure messages for Encoding comparisons.
void PrintTo(const Encoding& encoding, std::ostream* os) {
  *os << "{ids: " << ::testing::PrintToString(encoding.ids)
      << ", types: " << ::testing::PrintToString(encoding.token_type_ids) << "}";
}

namespace {

using ::souk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Pieces = std::vector<std::string>;
using Ids = std::vector<int64_t>;

const char kVocabFixture[] = "tests/fixtures/text/vocab.txt";

std::unique_ptr<WordPieceTokenizer> LoadFixture(const WordPieceOptions& options = {}) {
  auto tokenizer = WordPieceTokenizer::Load(::souk::testing::SourcePath(kVocabFixture), options);
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  return tokenizer.ok() ? std::move(*tokenizer) : nullptr;
}

WordPieceOptions Cased() {
  WordPieceOptions options;
  options.do_lower_case = false;
  return options;
}

class WordPieceTokenizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { tokenizer_ = LoadFixture().release(); }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
  }
  static Pieces Tokenize(std::string_view text) { return tokenizer_->Tokenize(text); }

  static WordPieceTokenizer* tokenizer_;
};

WordPieceTokenizer* WordPieceTokenizerTest::tokenizer_ = nullptr;

// ---- Vocabulary.

TEST_F(WordPieceTokenizerTest, LoadsIdsAsLineNumbers) {
  EXPECT_EQ(tokenizer_->vocab_size(), 99u);
  EXPECT_EQ(tokenizer_->pad_id(), 0);
  EXPECT_EQ(tokenizer_->unk_id(), 1);
  EXPECT_EQ(tokenizer_->cls_id(), 2);
  EXPECT_EQ(tokenizer_->sep_id(), 3);
  EXPECT_EQ(tokenizer_->mask_id(), 4);
  EXPECT_EQ(tokenizer_->TokenToId("##want"), 6);
  EXPECT_EQ(tokenizer_->TokenToId("wanted"), std::nullopt);
  EXPECT_EQ(tokenizer_->IdToToken(15), "hello");
  EXPECT_EQ(tokenizer_->IdToToken(99), "");
  EXPECT_EQ(tokenizer_->IdToToken(-1), "");
}

TEST(WordPieceVocabTest, MissingFileIsNotFound) {
  ::souk::testing::TempDir dir;
  EXPECT_THAT(WordPieceTokenizer::Load(dir.File("vocab.txt")),
              StatusIs(absl::StatusCode::kNotFound, "vocab.txt"));
}

TEST(WordPieceVocabTest, DuplicateTokenNamesFileAndLine) {
  ::souk::testing::TempDir dir;
  const std::string path =
      dir.WriteFile("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nshoe\nred\nshoe\n");
  const auto tokenizer = WordPieceTokenizer::Load(path);
  EXPECT_THAT(tokenizer, StatusIs(absl::StatusCode::kInvalidArgument, path));
  EXPECT_THAT(tokenizer.status().message(),
              HasSubstr("line 8: duplicate token \"shoe\" (first at line 6)"));
}

TEST(WordPieceVocabTest, MissingSpecialTokenIsNamed) {
  ::souk::testing::TempDir dir;
  const std::string path = dir.WriteFile("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nshoe\n");
  EXPECT_THAT(WordPieceTokenizer::Load(path),
              StatusIs(absl::StatusCode::kInvalidArgument, "\"[MASK]\" is not in the vocabulary"));
  WordPieceOptions options;
  options.mask_token = "<mask>";
  EXPECT_THAT(
      WordPieceTokenizer::FromVocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}, options),
      StatusIs(absl::StatusCode::kInvalidArgument, "<mask>"));
}

TEST(WordPieceVocabTest, FromVocabDuplicateNamesEntry) {
  EXPECT_THAT(
      WordPieceTokenizer::FromVocab({"[PAD]", "[UNK]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "vocab entry 2: duplicate token"));
}

TEST(WordPieceVocabTest, InvalidOptionsAreRejected) {
  WordPieceOptions options;
  options.max_input_chars_per_word = 0;
  EXPECT_THAT(
      WordPieceTokenizer::FromVocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}, options),
      StatusIs(absl::StatusCode::kInvalidArgument, "max_input_chars_per_word"));
}

TEST(WordPieceVocabTest, CrlfLinesAndEmptyLinesKeepLineNumbers) {
  ::souk::testing::TempDir dir;
  const std::string path =
      dir.WriteFile("vocab.txt", "[PAD]\r\n[UNK]\r\n\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nshoe\r\n");
  const auto tokenizer = WordPieceTokenizer::Load(path);
  ASSERT_OK(tokenizer);
  EXPECT_EQ((*tokenizer)->vocab_size(), 7u);
  EXPECT_EQ((*tokenizer)->cls_id(), 3);
  EXPECT_EQ((*tokenizer)->TokenToId("shoe"), 6);
}

// ---- Basic tokenization.

TEST_F(WordPieceTokenizerTest, HuggingFaceFullTokenizerExample) {
  EXPECT_THAT(Tokenize("UNwant\u00E9d,running"),
              ElementsAre("un", "##want", "##ed", ",", "runn", "##ing"));
  EXPECT_EQ(tokenizer_->TokenizeToIds("UNwant\u00E9d,running"), (Ids{9, 6, 7, 12, 10, 11}));
}

TEST_F(WordPieceTokenizerTest, LowerCasesAndSplitsOnWhitespaceAndPunctuation) {
  EXPECT_THAT(Tokenize(" \tHeLLo!how  \n Are yoU?  "),
              ElementsAre("hello", "!", "how", "are", "you", "?"));
  EXPECT_THAT(Tokenize("hello, world! (red-shoe)."),
              ElementsAre("hello", ",", "world", "!", "(", "red", "-", "shoe", ")", "."));
}

TEST_F(WordPieceTokenizerTest, PunctuationIsAsciiRangesPlusUnicodeP) {
  // '$' is Unicode Sc but inside HF's ASCII ranges; '€' is Sc outside them, so it stays attached.
  EXPECT_THAT(Tokenize("$5"), ElementsAre("$", "5"));
  EXPECT_THAT(Tokenize("€5"), ElementsAre("€", "##5"));
  EXPECT_THAT(Tokenize("hello\u2026world"), ElementsAre("hello", "\u2026", "world"));
  EXPECT_THAT(Tokenize("\u300C你好\u300D"), ElementsAre("\u300C", "你", "好", "\u300D"));
}

TEST_F(WordPieceTokenizerTest, StripsAccentsWhenLowerCasing) {
  EXPECT_THAT(Tokenize("H\u00E9llo"), ElementsAre("hello"));
  EXPECT_THAT(Tokenize("He\u0301llo"), ElementsAre("hello"));  // decomposed input
  // U+0130 lower-cases to "i" + U+0307 (Python's full mapping); the dot is then stripped.
  EXPECT_THAT(Tokenize("\u0130stanbul"), ElementsAre("istanbul"));
}

TEST(WordPieceOptionsTest, LowerCaseWithoutStrippingKeepsAccents) {
  WordPieceOptions options;
  options.strip_accents = false;
  const auto tokenizer = LoadFixture(options);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(tokenizer->Tokenize("H\u00E9llo"), ElementsAre("h\u00E9llo"));
  EXPECT_THAT(tokenizer->Tokenize("He\u0301llo"), ElementsAre("h\u00E9llo"));  // NFC
  // Lower-casing is per character (PreTrainedTokenizer.tokenize), so no final sigma.
  EXPECT_THAT(tokenizer->Tokenize("\u039F\u0394\u039F\u03A3"), ElementsAre("οδοσ"));
}

TEST(WordPieceOptionsTest, CasedKeepsCaseAndAccents) {
  const auto tokenizer = LoadFixture(Cased());
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(tokenizer->Tokenize(" \tHeLLo!how  \n Are yoU?  "),
              ElementsAre("HeLLo", "!", "how", "Are", "yoU", "?"));
  EXPECT_THAT(tokenizer->Tokenize("H\u00E9llo He\u0301llo"), ElementsAre("Héllo", "Héllo"));
  EXPECT_THAT(tokenizer->Tokenize("hello Hello"), ElementsAre("hello", "Hello"));
}

TEST(WordPieceOptionsTest, WordThatBecomesSpecialAfterCleaningStaysWhole) {
  // HF's BasicTokenizer never_split check runs on cleaned words: "[MA<NUL>SK]" is "[MASK]".
  const auto tokenizer = LoadFixture(Cased());
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_EQ(tokenizer->TokenizeToIds(std::string("a [MA\0SK]", 10)), (Ids{59, 4}));
}

TEST(WordPieceOptionsTest, CasedWithStripAccents) {
  WordPieceOptions options = Cased();
  options.strip_accents = true;
  const auto tokenizer = LoadFixture(options);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(tokenizer->Tokenize("H\u00E9llo"), ElementsAre("Hello"));
}

TEST_F(WordPieceTokenizerTest, ChineseCharactersAreWordsOfTheirOwn) {
  EXPECT_THAT(Tokenize("我爱北京"), ElementsAre("我", "爱", "北", "京"));
  EXPECT_THAT(Tokenize("ah\u535A\u63A8zz"), ElementsAre("ah", "\u535A", "\u63A8", "zz"));
  EXPECT_THAT(Tokenize("iPhone15手机"), ElementsAre("iphone", "##15", "手", "机"));
}

TEST(WordPieceOptionsTest, WithoutChineseSplitIdeographsStayInOneWord) {
  WordPieceOptions options;
  options.tokenize_chinese_chars = false;
  const auto tokenizer = LoadFixture(options);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(tokenizer->Tokenize("我爱北京"), ElementsAre("[UNK]"));
}

TEST_F(WordPieceTokenizerTest, ControlAndFormatCharactersAreRemoved) {
  EXPECT_THAT(Tokenize(std::string("hel\0lo", 6)), ElementsAre("hello"));
  EXPECT_THAT(Tokenize("hel\x01lo hel\x7Flo"), ElementsAre("hello", "hello"));
  EXPECT_THAT(Tokenize("hel\u200Blo hel\u00ADlo hel\uFFFDlo"),
              ElementsAre("hello", "hello", "hello"));
  EXPECT_THAT(Tokenize("hel\xFFlo"), ElementsAre("hello"));  // ill-formed UTF-8
  // Vertical tab is Cc, not BERT whitespace: removed, so the words join.
  EXPECT_THAT(Tokenize("hello\x0Bworld"), ElementsAre("hello", "##world"));
  EXPECT_THAT(Tokenize("\xC2\xAD"), IsEmpty());
}

TEST_F(WordPieceTokenizerTest, UnicodeWhitespaceSeparates) {
  EXPECT_THAT(Tokenize("hello\u3000world\u00A0how\u2028are\u2029you\r\nhello"),
              ElementsAre("hello", "world", "how", "are", "you", "hello"));
}

// ---- WordPiece.

TEST_F(WordPieceTokenizerTest, WordWithoutFullSegmentationIsOneUnk) {
  EXPECT_THAT(Tokenize(""), IsEmpty());
  EXPECT_THAT(Tokenize("unwanted running"), ElementsAre("un", "##want", "##ed", "runn", "##ing"));
  EXPECT_THAT(Tokenize("unwantedX running"), ElementsAre("[UNK]", "runn", "##ing"));
}

TEST_F(WordPieceTokenizerTest, WordsLongerThanTheLimitAreUnk) {
  const Pieces hundred = Tokenize(std::string(100, 'a'));
  ASSERT_EQ(hundred.size(), 100u);
  EXPECT_EQ(hundred.front(), "a");
  EXPECT_EQ(hundred.back(), "##a");
  EXPECT_THAT(Tokenize(std::string(101, 'a') + " hello"), ElementsAre("[UNK]", "hello"));
}

TEST(WordPieceOptionsTest, WordLengthCountsCodePointsNotBytes) {
  WordPieceOptions options;
  options.strip_accents = false;
  options.max_input_chars_per_word = 3;
  const auto tokenizer = LoadFixture(options);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(tokenizer->Tokenize("ééé"), ElementsAre("é", "##é", "##é"));
  EXPECT_THAT(tokenizer->Tokenize("éééé"), ElementsAre("[UNK]"));
}

TEST_F(WordPieceTokenizerTest, SpecialTokensInTextStayWhole) {
  EXPECT_THAT(Tokenize("hello [MASK] world"), ElementsAre("hello", "[MASK]", "world"));
  EXPECT_THAT(Tokenize("hello[MASK]world"), ElementsAre("hello", "[MASK]", "world"));
  EXPECT_EQ(tokenizer_->TokenizeToIds("[CLS]hello[SEP]"), (Ids{2, 15, 3}));
  // Only the exact spelling is special; "[mask]" is ordinary text.
  EXPECT_THAT(Tokenize("[mask]"), ElementsAre("[", "[UNK]", "]"));
}

// ---- Encoding.

TEST_F(WordPieceTokenizerTest, EmptyInputIsClsSep) {
  const Encoding expected{{2, 3}, {0, 0}};
  EXPECT_EQ(tokenizer_->Encode("", 512), expected);
  EXPECT_EQ(tokenizer_->Encode(" \t\n", 512), expected);
}

TEST_F(WordPieceTokenizerTest, EncodeFramesAndTruncates) {
  EXPECT_EQ(tokenizer_->Encode("hello how are you", 512),
            (Encoding{{2, 15, 16, 17, 18, 3}, {0, 0, 0, 0, 0, 0}}));
  EXPECT_EQ(tokenizer_->Encode("hello how are you", 4), (Encoding{{2, 15, 16, 3}, {0, 0, 0, 0}}));
  EXPECT_EQ(tokenizer_->Encode("hello how are you", 0), (Encoding{{2, 3}, {0, 0}}));
}

TEST_F(WordPieceTokenizerTest, EncodePairSetsTokenTypes) {
  EXPECT_EQ(tokenizer_->EncodePair("hello", "how are you", 512),
            (Encoding{{2, 15, 3, 16, 17, 18, 3}, {0, 0, 0, 1, 1, 1, 1}}));
  EXPECT_EQ(tokenizer_->EncodePair("", "", 512), (Encoding{{2, 3, 3}, {0, 0, 1}}));
}

TEST_F(WordPieceTokenizerTest, EncodePairTruncatesLongestFirst) {
  // 5 + 2 pieces into 8 - 3 = 5: both cuts come off the first, longer segment.
  EXPECT_EQ(tokenizer_->EncodePair("hello how are you hello", "red shoe", 8).ids,
            (Ids{2, 15, 16, 17, 3, 33, 34, 3}));
  // 3 + 3 into 4: ties cut the second segment first, then the now longer first.
  EXPECT_EQ(tokenizer_->EncodePair("how are you", "red shoe red", 7).ids,
            (Ids{2, 16, 17, 3, 33, 34, 3}));
  // 3 + 3 into 3: second, first, second.
  EXPECT_EQ(tokenizer_->EncodePair("how are you", "red shoe red", 6),
            (Encoding{{2, 16, 17, 3, 33, 3}, {0, 0, 0, 0, 1, 1}}));
  EXPECT_EQ(tokenizer_->EncodePair("how are you", "red shoe red", 1).ids, (Ids{2, 3, 3}));
}

TEST_F(WordPieceTokenizerTest, ConcurrentEncodesAgree) {
  const std::vector<std::string> texts = {"UNwant\u00E9d,running", "iPhone15手机 hello[MASK]",
                                          "H\u00E9llo, world!", "我爱北京 red shoes"};
  std::vector<Encoding> expected;
  for (const std::string& text : texts) expected.push_back(tokenizer_->Encode(text, 16));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const size_t k = static_cast<size_t>(i + t) % texts.size();
        if (!(tokenizer_->Encode(texts[k], 16) == expected[k]))
          ++mismatches[static_cast<size_t>(t)];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

}  // namespace
}  // namespace souk::text
