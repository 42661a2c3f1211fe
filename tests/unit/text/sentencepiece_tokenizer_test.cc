#include "souk/text/sentencepiece_tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "souk/base/file_util.h"
#include "support/test_support.h"

namespace souk::text {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int kVocabSize = 500;

// A seeded mixed Chinese/English corpus: shop titles and reviews, some lines mixing both.
std::string MakeCorpus() {
  const std::vector<std::string> zh = {
      "我们", "今天", "北京", "大学", "研究", "中文", "分词", "搜索", "引擎", "商品",
      "价格", "便宜", "质量", "很好", "手机", "电脑", "耳机", "衣服", "鞋子", "喜欢",
      "推荐", "快递", "服务", "颜色", "尺码", "非常", "满意", "一般", "退货", "包装"};
  const std::vector<std::string> en = {"we",     "build",   "a",     "fast",  "neural", "search",
                                       "engine", "hello",   "world", "phone", "cheap",  "price",
                                       "good",   "quality", "shoes", "shirt", "red",    "blue",
                                       "size",   "review",  "great", "buy",   "again",  "shipping"};
  std::mt19937 rng(7);
  auto pick = [&rng](const std::vector<std::string>& words) {
    return words[std::uniform_int_distribution<size_t>(0, words.size() - 1)(rng)];
  };
  std::string corpus;
  for (int line = 0; line < 1500; ++line) {
    const int kind = line % 3;  // 0 Chinese, 1 English, 2 mixed
    const int words = 4 + static_cast<int>(rng() % 8);
    for (int w = 0; w < words; ++w) {
      const bool chinese = kind == 0 || (kind == 2 && w % 2 == 0);
      if (!chinese && w > 0) corpus += ' ';
      corpus += chinese ? pick(zh) : pick(en);
    }
    corpus += kind == 1 ? ".\n" : "。\n";
  }
  return corpus;
}

SentencePieceTrainOptions TrainOptions(const TempDir& dir, const std::string& name) {
  SentencePieceTrainOptions options;
  options.input_path = dir.File("corpus.txt");
  options.model_prefix = dir.File(name);
  options.vocab_size = kVocabSize;
  options.num_threads = 2;
  return options;
}

class SentencePieceTokenizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    dir_->WriteFile("corpus.txt", MakeCorpus());
    const absl::Status trained = TrainSentencePiece(TrainOptions(*dir_, "m"));
    ASSERT_OK(trained);
    auto loaded = SentencePieceTokenizer::Load(dir_->File("m.model"));
    ASSERT_OK(loaded);
    tokenizer_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(tokenizer_, nullptr); }

  static const SentencePieceTokenizer& tok() { return *tokenizer_; }
  static std::string Decoded(const std::vector<int64_t>& ids) {
    absl::StatusOr<std::string> text = tok().Decode(ids);
    EXPECT_OK(text);
    return text.ok() ? *text : "<error>";
  }

  static TempDir* dir_;
  static SentencePieceTokenizer* tokenizer_;
};

TempDir* SentencePieceTokenizerTest::dir_ = nullptr;
SentencePieceTokenizer* SentencePieceTokenizerTest::tokenizer_ = nullptr;

TEST_F(SentencePieceTokenizerTest, TrainedModelHasTheSpecialIds) {
  EXPECT_EQ(tok().vocab_size(), static_cast<size_t>(kVocabSize));
  EXPECT_EQ(tok().pad_id(), 0);
  EXPECT_EQ(tok().unk_id(), 1);
  EXPECT_EQ(tok().cls_id(), 2);
  EXPECT_EQ(tok().sep_id(), 3);
  EXPECT_EQ(tok().mask_id(), 4);
  EXPECT_EQ(tok().IdToToken(2), "[CLS]");
  EXPECT_EQ(tok().TokenToId("[MASK]"), 4);
  EXPECT_EQ(tok().TokenToId("no such piece"), std::nullopt);
  EXPECT_EQ(tok().IdToToken(kVocabSize), "");
}

TEST_F(SentencePieceTokenizerTest, SegmentsChineseIntoLearnedWordsAndRoundTrips) {
  const std::string text = "我们今天在北京大学研究中文分词和搜索引擎。";
  const std::vector<std::string> pieces = tok().Tokenize(text);
  // Frequent two-character words of the corpus became pieces of their own.
  EXPECT_THAT(pieces, Contains("大学"));
  EXPECT_THAT(pieces, Contains("引擎"));
  EXPECT_LT(pieces.size(), 21u);  // fewer pieces than characters
  EXPECT_EQ(Decoded(tok().TokenizeToIds(text)), text);
}

TEST_F(SentencePieceTokenizerTest, MixedTextRoundTrips) {
  const std::string text = "we build a fast neural search engine 搜索引擎 hello world";
  EXPECT_EQ(Decoded(tok().TokenizeToIds(text)), text);
}

TEST_F(SentencePieceTokenizerTest, UnknownCharactersFallBackToBytes) {
  const std::string text = "Ω☃ WXYZ!";  // none of these characters is in the corpus
  const std::vector<std::string> pieces = tok().Tokenize(text);
  EXPECT_THAT(pieces, Contains("<0xE2>"));  // first byte of ☃ (E2 98 83)
  EXPECT_THAT(pieces, Contains("<0x57>"));  // 'W'
  EXPECT_THAT(tok().TokenizeToIds(text), Each(Not(Eq(tok().unk_id()))));
  EXPECT_EQ(Decoded(tok().TokenizeToIds(text)), text);
}

TEST_F(SentencePieceTokenizerTest, EncodeFramesWithClsAndSep) {
  const std::vector<int64_t> pieces = tok().TokenizeToIds("good quality 质量很好");
  ASSERT_FALSE(pieces.empty());
  const Encoding e = tok().Encode("good quality 质量很好", 512);
  std::vector<int64_t> expected = {tok().cls_id()};
  expected.insert(expected.end(), pieces.begin(), pieces.end());
  expected.push_back(tok().sep_id());
  EXPECT_EQ(e.ids, expected);
  EXPECT_EQ(e.token_type_ids, std::vector<int64_t>(expected.size(), 0));
}

TEST_F(SentencePieceTokenizerTest, EncodePairGivesTheSecondSegmentTypeOne) {
  const std::vector<int64_t> a = tok().TokenizeToIds("red shoes");
  const std::vector<int64_t> b = tok().TokenizeToIds("鞋子颜色");
  const Encoding e = tok().EncodePair("red shoes", "鞋子颜色", 512);
  std::vector<int64_t> ids = {tok().cls_id()};
  ids.insert(ids.end(), a.begin(), a.end());
  ids.push_back(tok().sep_id());
  ids.insert(ids.end(), b.begin(), b.end());
  ids.push_back(tok().sep_id());
  EXPECT_EQ(e.ids, ids);
  std::vector<int64_t> types(a.size() + 2, 0);
  types.resize(ids.size(), 1);
  EXPECT_EQ(e.token_type_ids, types);
}

TEST_F(SentencePieceTokenizerTest, EncodeTruncatesFromTheEnd) {
  const std::string text = "我们今天在北京大学研究中文分词和搜索引擎。";
  const std::vector<int64_t> pieces = tok().TokenizeToIds(text);
  ASSERT_GT(pieces.size(), 3u);
  const Encoding e = tok().Encode(text, 5);
  EXPECT_THAT(e.ids, ElementsAre(tok().cls_id(), pieces[0], pieces[1], pieces[2], tok().sep_id()));
  EXPECT_EQ(e.token_type_ids.size(), 5u);
  // Below the minimum, only the framing remains.
  EXPECT_THAT(tok().Encode(text, 0).ids, ElementsAre(tok().cls_id(), tok().sep_id()));
}

TEST_F(SentencePieceTokenizerTest, EncodePairTruncatesLongestFirst) {
  const std::string long_text = "我们今天在北京大学研究中文分词和搜索引擎，非常满意，推荐购买。";
  const std::vector<int64_t> a = tok().TokenizeToIds(long_text);
  const std::vector<int64_t> b = tok().TokenizeToIds("red");
  ASSERT_GE(a.size(), 12u);
  ASSERT_LE(b.size(), 2u);
  // A short second segment is kept whole; the long first one gives up the rest.
  const size_t budget = 10 - 3;
  Encoding e = tok().EncodePair(long_text, "red", 10);
  ASSERT_EQ(e.ids.size(), 10u);
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + (budget - b.size()), e.ids.begin() + 1));
  EXPECT_EQ(std::count(e.token_type_ids.begin(), e.token_type_ids.end(), 1),
            static_cast<long>(b.size() + 1));
  // Two long segments share the budget; on a tie the second loses the extra piece.
  e = tok().EncodePair(long_text, long_text, 10);
  ASSERT_EQ(e.ids.size(), 10u);
  EXPECT_EQ(std::count(e.token_type_ids.begin(), e.token_type_ids.end(), 0), 1 + 4 + 1);
  EXPECT_EQ(std::count(e.token_type_ids.begin(), e.token_type_ids.end(), 1), 3 + 1);
  EXPECT_EQ(e.ids[5], tok().sep_id());
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + 3, e.ids.begin() + 6));
}

TEST_F(SentencePieceTokenizerTest, EmptyInput) {
  EXPECT_TRUE(tok().Tokenize("").empty());
  EXPECT_THAT(tok().Encode("", 8).ids, ElementsAre(tok().cls_id(), tok().sep_id()));
  const Encoding pair = tok().EncodePair("", "", 8);
  EXPECT_THAT(pair.ids, ElementsAre(tok().cls_id(), tok().sep_id(), tok().sep_id()));
  EXPECT_THAT(pair.token_type_ids, ElementsAre(0, 0, 1));
  EXPECT_EQ(Decoded({}), "");
}

TEST_F(SentencePieceTokenizerTest, MaskTypedInTextStaysOnePiece) {
  EXPECT_THAT(tok().TokenizeToIds("good [MASK] price"), Contains(tok().mask_id()));
}

TEST_F(SentencePieceTokenizerTest, DecodeSkipsSpecialTokensAndRejectsBadIds) {
  const Encoding e = tok().Encode("hello world", 64);
  EXPECT_EQ(Decoded(e.ids), "hello world");
  absl::StatusOr<std::string> raw = tok().Decode(e.ids, /*skip_special_tokens=*/false);
  ASSERT_OK(raw);
  EXPECT_THAT(*raw, StartsWith("[CLS]"));
  EXPECT_THAT(tok().Decode({5, kVocabSize}),
              StatusIs(absl::StatusCode::kInvalidArgument, "id 500"));
  EXPECT_THAT(tok().Decode({-1}), StatusIs(absl::StatusCode::kInvalidArgument, "id -1"));
}

TEST_F(SentencePieceTokenizerTest, ConcurrentEncodesAgree) {
  std::vector<std::string> texts;
  for (int i = 0; i < 50; ++i) {
    texts.push_back("商品" + std::to_string(i) + " great phone 价格便宜 Ω" + std::to_string(i * 7));
  }
  std::vector<Encoding> expected;
  for (const std::string& t : texts) expected.push_back(tok().EncodePair(t, "质量很好", 32));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < texts.size(); ++i) {
          if (!(tok().EncodePair(texts[i], "质量很好", 32) == expected[i])) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, Each(0));
}

TEST_F(SentencePieceTokenizerTest, TrainingIsDeterministicForASeed) {
  // The .model files differ in the recorded model_prefix, so compare the vocabularies.
  ASSERT_OK(TrainSentencePiece(TrainOptions(*dir_, "again")));
  absl::StatusOr<std::unique_ptr<SentencePieceTokenizer>> again =
      SentencePieceTokenizer::Load(dir_->File("again.model"));
  ASSERT_OK(again);
  ASSERT_EQ((*again)->vocab_size(), tok().vocab_size());
  int differing = 0;
  for (int64_t id = 0; id < kVocabSize; ++id)
    differing += (*again)->IdToToken(id) != tok().IdToToken(id);
  EXPECT_EQ(differing, 0);
}

// Shop queries come in lower case while titles are capitalized: an uncased model must see the
// same pieces for both (a cased one split the query's words into unrelated pieces).
TEST_F(SentencePieceTokenizerTest, ACaseFoldingModelGivesTheSamePiecesForAnyCase) {
  SentencePieceTrainOptions options = TrainOptions(*dir_, "uncased");
  options.case_fold = true;
  ASSERT_OK(TrainSentencePiece(options));
  auto uncased = SentencePieceTokenizer::Load(dir_->File("uncased.model"));
  ASSERT_OK(uncased);
  EXPECT_EQ((*uncased)->TokenizeToIds("Cheap RED Shoes"),
            (*uncased)->TokenizeToIds("cheap red shoes"));
  EXPECT_NE(tok().TokenizeToIds("Cheap RED Shoes"), tok().TokenizeToIds("cheap red shoes"));
  const text::Encoding encoding = (*uncased)->Encode("RED", 8);
  EXPECT_EQ(encoding.ids.front(), (*uncased)->cls_id());  // special ids are untouched
}

TEST_F(SentencePieceTokenizerTest, MissingSpecialTokenIsNamed) {
  SentencePieceOptions options;
  options.cls_token = "<s>";
  EXPECT_THAT(SentencePieceTokenizer::Load(dir_->File("m.model"), options),
              StatusIs(absl::StatusCode::kInvalidArgument, "\"<s>\" is not a piece"));
  options.cls_token = "";
  EXPECT_THAT(SentencePieceTokenizer::Load(dir_->File("m.model"), options),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty"));
}

TEST(SentencePieceLoadTest, MissingModelNamesThePath) {
  TempDir dir;
  const std::string path = dir.File("absent.model");
  EXPECT_THAT(SentencePieceTokenizer::Load(path), StatusIs(absl::StatusCode::kNotFound, path));
}

TEST(SentencePieceLoadTest, CorruptModelNamesThePath) {
  TempDir dir;
  const std::string garbage = dir.WriteFile("garbage.model", "this is not a model proto\xff\x01");
  EXPECT_THAT(SentencePieceTokenizer::Load(garbage),
              StatusIs(absl::StatusCode::kInvalidArgument, garbage));
  const std::string empty = dir.WriteFile("empty.model", "");
  EXPECT_THAT(SentencePieceTokenizer::Load(empty),
              StatusIs(absl::StatusCode::kInvalidArgument, empty));
}

TEST(SentencePieceTrainTest, RejectsBadOptions) {
  SentencePieceTrainOptions options;
  options.input_path = "in.txt";
  options.model_prefix = "m";
  EXPECT_OK(options.Validate());
  options.vocab_size = 8;
  EXPECT_THAT(TrainSentencePiece(options), StatusIs(absl::StatusCode::kInvalidArgument, "vocab"));
  options.vocab_size = 100;
  options.model_type = SentencePieceModelType::kWord;
  EXPECT_THAT(TrainSentencePiece(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "byte_fallback needs a unigram"));
  options.model_type = SentencePieceModelType::kUnigram;
  options.special_tokens.mask_token = "[MA,SK]";
  EXPECT_THAT(TrainSentencePiece(options), StatusIs(absl::StatusCode::kInvalidArgument, ","));
}

TEST(SentencePieceTrainTest, AWordModelKeepsEachKnownWordWholeAndOthersUnknown) {
  TempDir dir;
  SentencePieceTrainOptions options;
  options.input_path = dir.WriteFile(
      "words.txt",
      "cordless drill 18 v\ndrill bit 1/2 in\nwood screw 1/2 in\nsteel hammer 16 oz\n");
  options.model_prefix = dir.File("w");
  options.vocab_size = 18;  // 5 special pieces + the 13 distinct words
  options.model_type = SentencePieceModelType::kWord;
  options.byte_fallback = false;
  options.num_threads = 1;
  ASSERT_OK(TrainSentencePiece(options));
  auto tokenizer = SentencePieceTokenizer::Load(dir.File("w.model"));
  ASSERT_OK(tokenizer);
  EXPECT_THAT((*tokenizer)->Tokenize("drill 1/2 in"), ElementsAre("▁drill", "▁1/2", "▁in"));
  const std::vector<int64_t> ids = (*tokenizer)->TokenizeToIds("cordless saw");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], (*tokenizer)->unk_id());
  EXPECT_EQ(ids[1], (*tokenizer)->unk_id()) << "a word the corpus lacks";
}

TEST(SentencePieceTrainTest, MissingInputNamesThePath) {
  TempDir dir;
  SentencePieceTrainOptions options;
  options.input_path = dir.File("no_corpus.txt");
  options.model_prefix = dir.File("m");
  options.vocab_size = 300;
  const absl::Status status = TrainSentencePiece(options);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("no_corpus.txt"));
}

TEST(SentencePieceTrainTest, VocabularyTooLargeForTheCorpusIsAnError) {
  TempDir dir;
  SentencePieceTrainOptions options;
  options.input_path = dir.WriteFile("tiny.txt", "a b c\nb c d\n");
  options.model_prefix = dir.File("m");
  options.vocab_size = 5000;
  const absl::Status status = TrainSentencePiece(options);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("Vocabulary size"));
}

}  // namespace
}  // namespace souk::text
